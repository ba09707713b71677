//! What the session does when the engine host process ends: blame the build
//! it was running or swapping in, report the crash (terminal, browser), and
//! once the supervisor has a fresh host, swap the newest build that never
//! crashed back in, values kept.

use wavecraft_protocol::catalog::ParametersChangedNotification;

use super::{DevEvent, Session};
use crate::engine_host::HostEvent;
use crate::notification::notification_text;

impl Session {
    /// Reacts to what happened to the engine host (see the module docs). Blocks while an
    /// engine is swapped in: call it off the async runtime.
    pub fn on_host_event(&self, event: HostEvent) {
        let mut ledger = self.ledger();
        match event {
            HostEvent::Crashed(exit) => {
                let (crash, blamed) = ledger.crashed(exit, "restarting the engine host");
                if let Some(library) = blamed {
                    let _ = std::fs::remove_file(library);
                }
                self.engine.report_crash(crash.clone(), true);
                self.emit(DevEvent::EngineCrashed(crash));
            }
            HostEvent::GaveUp(why) => {
                if let Some(crash) = ledger.recovered(why) {
                    self.engine.report_crash(crash.clone(), true);
                    self.emit(DevEvent::EngineCrashed(crash));
                }
            }
            HostEvent::Restarted => {
                let recovery = match ledger.last_good() {
                    None => "the engine host runs again with no engine (silence) until the next good build".to_owned(),
                    Some((good, library)) => match self.swap_in(
                        &mut ledger,
                        good.build,
                        &library,
                        Some(library.clone()),
                    ) {
                        Ok((loaded, diff)) => {
                            self.status.set_engine(Some(loaded.metadata.engine_info()));
                            if !(diff.added.is_empty()
                                && diff.removed.is_empty()
                                && diff.changed.is_empty())
                            {
                                self.clients.broadcast(&notification_text::<
                                    ParametersChangedNotification,
                                >(&diff));
                            }
                            format!("restarted with build {} ({}), values kept", good.build, good.engine)
                        }
                        // A crash while restoring it is reported again (and falls back further).
                        Err(e) => format!("build {} did not start again: {e}", good.build),
                    },
                };
                if let Some(crash) = ledger.recovered(recovery) {
                    self.engine.report_crash(crash.clone(), false);
                    self.emit(DevEvent::EngineCrashed(crash));
                }
            }
        }
    }
}
