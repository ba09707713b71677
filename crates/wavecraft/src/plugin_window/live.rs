//! The pages open on this thread, answered after every GTK event whichever
//! window's owner pumped: GTK's main loop is one per process, so the pump of
//! one plugin instance also dispatches the messages other instances' pages
//! post. Each [`PluginWindow`](super::PluginWindow) registers its page here;
//! [`answer_all`] (run by the pump after each event and once at its end)
//! hands every queued message to its own page's responder and sends the
//! replies back to that page in one script evaluation. A message is therefore
//! answered at the wake that receives it, not at its own instance's next
//! wake. Main thread only. A page owns what answers it (no borrow of a
//! plugin instance), so the registry holds it weakly and safely.

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
pub(super) fn register(page: &Rc<impl Answer + 'static>) {
    let page: Rc<dyn Answer> = page.clone();
    LIVE.with(|live| live.borrow_mut().push(Rc::downgrade(&page)));
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

    struct Counter(Rc<Cell<u32>>);

    impl Answer for Counter {
        fn answer(&self) {
            self.0.set(self.0.get() + 1);
        }
    }

    #[test]
    fn every_live_page_is_answered_and_a_dropped_one_never() {
        let (first, second) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(0)));
        let a = Rc::new(Counter(Rc::clone(&first)));
        let b = Rc::new(Counter(Rc::clone(&second)));
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
