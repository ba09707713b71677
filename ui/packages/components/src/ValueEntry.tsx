/**
 * ValueEntry: the box a person types a value into, read by the engine's own
 * text rule (`parseValue`), so "1k", "1 kHz", "-6 dB" and "50 %" work as in
 * a DAW. Enter sets the value, Escape closes the box and sets nothing,
 * leaving the box (Tab, a click elsewhere) sets the value when the text reads
 * and otherwise drops it. Text that names no value shows an inline message
 * and sends nothing; the box stays open to be corrected.
 */
import type { ParameterInfo } from "@wavecraft/core";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { describeAccepted, formatValue, parseValue, type ParseError } from "./mapping";

/** Props of ValueEntry. */
export interface ValueEntryProps {
  param: ParameterInfo;
  /** Called with the value the text names (already clamped and snapped), just before the box closes. */
  onCommit: (value: number) => void;
  /** Called when the box closes; `refocus` after Enter or Escape, not after a click elsewhere. */
  onClose: (refocus: boolean) => void;
}

/** Why `text` was refused, and what to type instead. */
function refusal(param: ParameterInfo, text: string, error: ParseError): string {
  const accepted = describeAccepted(param);
  const shown = text.trim() === "" ? "An empty box" : `"${text.trim()}"`;
  switch (error) {
    case "unreadable":
      return `${shown} is not a value of ${param.name}: type ${accepted}.`;
    case "notFinite":
      return `${shown} is not a finite number: type ${accepted}.`;
    case "outOfRange":
    case "notWhole":
      return `${shown} is not one of the choices: type ${accepted}.`;
  }
}

/** A text box that reads a typed value for `param`. */
export function ValueEntry({ param, onCommit, onClose }: ValueEntryProps) {
  const [text, setText] = useState(() => formatValue(param, param.value));
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  const input = useRef<HTMLInputElement>(null);
  const closed = useRef(false);

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);

  /** Closes the box once (a blur can follow Enter or Escape), committing `value` if there is one. */
  const close = (value: number | null, refocus: boolean) => {
    if (closed.current) return;
    closed.current = true;
    if (value !== null) onCommit(value);
    onClose(refocus);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      close(null, true);
    } else if (event.key === "Enter") {
      event.preventDefault();
      const read = parseValue(param, text);
      if (read.ok) close(read.value, true);
      else setError(refusal(param, text, read.error));
    }
  };

  const onBlur = () => {
    const read = parseValue(param, text);
    close(read.ok ? read.value : null, false);
  };

  return (
    <span className="wc-entry">
      <input
        ref={input}
        className="wc-entry__input"
        type="text"
        spellCheck={false}
        autoComplete="off"
        aria-label={`${param.name} value`}
        aria-invalid={error !== null}
        aria-describedby={error !== null ? errorId : undefined}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setError(null);
        }}
        onKeyDown={onKeyDown}
        onBlur={onBlur}
      />
      {error !== null && (
        <span id={errorId} role="alert" className="wc-entry__error">
          {error}
        </span>
      )}
    </span>
  );
}
