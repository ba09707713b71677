import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";

// Unmount what each test rendered, so providers stop their bridges.
afterEach(() => {
  cleanup();
});

// jsdom has no pointer capture; every browser and webview we target does.
// A minimal per-element model is enough for drag tests.
if (!("setPointerCapture" in Element.prototype)) {
  const captured = new WeakMap<Element, Set<number>>();
  const set = (element: Element): Set<number> => {
    let ids = captured.get(element);
    if (!ids) {
      ids = new Set();
      captured.set(element, ids);
    }
    return ids;
  };
  Object.assign(Element.prototype, {
    setPointerCapture(this: Element, id: number) {
      set(this).add(id);
    },
    releasePointerCapture(this: Element, id: number) {
      set(this).delete(id);
    },
    hasPointerCapture(this: Element, id: number) {
      return set(this).has(id);
    },
  });
}

// jsdom (26) has no PointerEvent either; without it testing-library would
// dispatch plain Events that carry no coordinates or button.
if (typeof globalThis.PointerEvent === "undefined") {
  class PointerEventShim extends MouseEvent {
    readonly pointerId: number;
    readonly pointerType: string;
    readonly isPrimary: boolean;

    constructor(type: string, init: PointerEventInit = {}) {
      super(type, init);
      this.pointerId = init.pointerId ?? 1;
      this.pointerType = init.pointerType ?? "mouse";
      this.isPrimary = init.isPrimary ?? true;
    }
  }
  globalThis.PointerEvent = PointerEventShim as unknown as typeof PointerEvent;
}
