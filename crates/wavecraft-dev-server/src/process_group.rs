//! A child process that leads its own process group, so stopping it stops
//! everything it started: cargo with rustc and build scripts, npm with node
//! and esbuild. The one place `wavecraft start` spawns and signals a group;
//! the dev build (`cargo_build`) and the CLI's Vite server both use it.
//!
//! A group is signalled by the leader's pid, which is also the group's id.
//! The id is kept after the leader exits, so children it left behind are
//! still reached.

use std::process::ExitStatus;
use std::time::Duration;

use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;
use tokio::process::{Child, Command};

/// A spawned process leading a new process group; dropping it kills the leader.
#[derive(Debug)]
pub struct GroupChild {
    leader: Child,
    group: Option<Pid>,
}

impl GroupChild {
    /// Spawns `command` as the leader of a new process group (its children join it).
    pub fn spawn(command: &mut Command) -> std::io::Result<GroupChild> {
        let leader = command.process_group(0).kill_on_drop(true).spawn()?;
        let group = leader
            .id()
            .and_then(|pid| i32::try_from(pid).ok())
            .map(Pid::from_raw);
        Ok(GroupChild { leader, group })
    }

    /// The leader process (its pipes, its exit).
    pub fn leader(&mut self) -> &mut Child {
        &mut self.leader
    }

    /// Stops the whole group and reaps the leader. With a `grace` period the group first gets
    /// SIGTERM, and SIGKILL only if the leader has not exited within it; without one, SIGKILL
    /// at once. Returns the leader's exit status when it could be read.
    pub async fn stop(&mut self, grace: Duration) -> Option<ExitStatus> {
        if let Some(group) = self.group {
            let exited = !grace.is_zero() && {
                // The group may be gone already; the wait below tells.
                let _ = killpg(group, Signal::SIGTERM);
                tokio::time::timeout(grace, self.leader.wait())
                    .await
                    .is_ok()
            };
            if !exited {
                let _ = killpg(group, Signal::SIGKILL);
            }
        }
        self.leader.wait().await.ok()
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::process::ExitStatusExt;
    use std::time::Instant;

    use tokio::io::AsyncBufReadExt;

    use super::*;

    /// A shell leading a group with a grandchild `sleep`; returns it and the grandchild's pid.
    async fn group_with_grandchild(script: &str) -> (GroupChild, Pid) {
        let mut command = Command::new("sh");
        command
            .args(["-c", script])
            .stdout(std::process::Stdio::piped());
        let mut child = GroupChild::spawn(&mut command).unwrap();
        let mut out = String::new();
        let stdout = child.leader().stdout.as_mut().unwrap();
        // The shell prints its background child's pid once it has started it.
        tokio::io::BufReader::new(stdout)
            .read_line(&mut out)
            .await
            .unwrap();
        let grandchild = Pid::from_raw(out.trim().parse().unwrap());
        (child, grandchild)
    }

    fn alive(pid: Pid) -> bool {
        // A zombie still answers signal 0; its state in /proc says it is gone.
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map(|stat| !stat.contains(") Z "))
            .unwrap_or(false)
            && nix::sys::signal::kill(pid, None).is_ok()
    }

    async fn gone_soon(pid: Pid) -> bool {
        let deadline = Instant::now() + Duration::from_secs(5);
        while alive(pid) {
            if Instant::now() > deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        true
    }

    #[tokio::test]
    async fn a_kill_reaches_the_leaders_children() {
        let (mut child, grandchild) = group_with_grandchild("sleep 30 & echo $!; wait").await;
        assert!(alive(grandchild));
        let status = child.stop(Duration::ZERO).await.unwrap();
        assert_eq!(status.signal(), Some(Signal::SIGKILL as i32));
        assert!(
            gone_soon(grandchild).await,
            "the grandchild outlived its group"
        );
    }

    #[tokio::test]
    async fn a_term_comes_first_and_a_kill_follows_when_it_is_ignored() {
        let (mut child, grandchild) = group_with_grandchild("sleep 30 & echo $!; wait").await;
        let started = Instant::now();
        let status = child.stop(Duration::from_secs(3)).await.unwrap();
        assert_eq!(status.signal(), Some(Signal::SIGTERM as i32));
        assert!(started.elapsed() < Duration::from_secs(3));
        assert!(gone_soon(grandchild).await);

        let (mut child, grandchild) =
            group_with_grandchild("trap '' TERM; sleep 30 & echo $!; while :; do sleep 1; done")
                .await;
        let started = Instant::now();
        let status = child.stop(Duration::from_millis(300)).await.unwrap();
        assert_eq!(status.signal(), Some(Signal::SIGKILL as i32));
        assert!(started.elapsed() >= Duration::from_millis(300));
        assert!(gone_soon(grandchild).await);
    }
}
