//! The pages open on this thread, answered after every GTK event whichever
//! window's owner pumped: GTK's main loop is one per process, so the pump of
//! one plugin instance also dispatches the messages other instances' pages
//! post. Each [`PluginWindow`](super::PluginWindow) registers its page here;
//! [`answer_all`] (run by the pump after each event and once at its end)
//! hands every queued message to its own page's responder and sends the
//! replies back to that page in one script evaluation. A message is therefore
//! answered at the wake that receives it, not at its own instance's next
//! wake. Main thread only.
//!
//! This module owns one `unsafe` line: the registry is a thread-local, so it
//! holds its pages with their borrows' lifetime erased, and it may upgrade
//! one only while its window (the one strong owner) lives.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

/// A page that can answer what it posted.
pub(super) trait Answer {
    /// Answers every message queued since the last call.
    fn answer(&self);
}

thread_local! {
    /// Every page registered on this thread; dead ones are dropped at the next call.
    static LIVE: RefCell<Vec<Weak<dyn Answer>>> = const { RefCell::new(Vec::new()) };
}

/// Registers `page`; it stays answered until its last strong reference is dropped.
pub(super) fn register<'a>(page: &Rc<impl Answer + 'a>) {
    let page: Rc<dyn Answer + 'a> = page.clone();
    let weak: Weak<dyn Answer + 'a> = Rc::downgrade(&page);
    drop(page);
    // SAFETY: only the lifetime bound changes (same layout). The registry upgrades the
    // reference only while a strong one exists; the one strong owner is a `PluginWindow<'a>`,
    // which lives within `'a`, and the upgraded references live only for one `answer_all`
    // call on this thread, during which no window is dropped (responders answer text, they
    // do not close windows). A dead `Weak` is only ever deallocated, never read.
    let weak: Weak<dyn Answer> =
        unsafe { std::mem::transmute::<Weak<dyn Answer + 'a>, Weak<dyn Answer>>(weak) };
    LIVE.with(|live| live.borrow_mut().push(weak));
}

/// Answers every live page's queued messages (each by its own responder).
pub fn answer_all() {
    let pages: Vec<Rc<dyn Answer>> = LIVE.with(|live| {
        let mut live = live.borrow_mut();
        live.retain(|page| page.strong_count() > 0);
        live.iter().filter_map(Weak::upgrade).collect()
    });
    for page in pages {
        page.answer();
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    struct Counter<'a>(&'a Cell<u32>);

    impl Answer for Counter<'_> {
        fn answer(&self) {
            self.0.set(self.0.get() + 1);
        }
    }

    #[test]
    fn every_live_page_is_answered_and_a_dropped_one_never() {
        let (first, second) = (Cell::new(0), Cell::new(0));
        let a = Rc::new(Counter(&first));
        let b = Rc::new(Counter(&second));
        register(&a);
        register(&b);
        answer_all();
        assert_eq!((first.get(), second.get()), (1, 1));
        drop(b);
        answer_all();
        assert_eq!((first.get(), second.get()), (2, 1));
        drop(a);
        answer_all();
        assert_eq!(LIVE.with(|live| live.borrow().len()), 0);
    }
}
