/** Dates and small display helpers. */
import { Fragment } from 'react';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const precise = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'medium',
});
const millis = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3,
});

/** A `<time>` element with the ISO value as machine-readable attribute and tooltip. */
export function Time(props: { readonly iso: string | null | undefined; readonly never?: string; readonly precise?: boolean; readonly millis?: boolean }) {
  if (!props.iso) return <span className="muted">{props.never ?? '—'}</span>;
  const d = new Date(props.iso);
  const text = Number.isNaN(d.getTime()) ? props.iso : (props.millis ? millis : props.precise ? precise : dateTime).format(d);
  return (
    <time dateTime={props.iso} title={props.iso}>
      {text}
    </time>
  );
}

/** Log arguments as one line: strings as they are, everything else as JSON. */
export function formatLogArgs(args: readonly unknown[]): string {
  return args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
}

/** Server-written help text with `backticks` around code: the code parts as `<code>`. */
export function InlineCode(props: { readonly text: string }) {
  const parts = props.text.split('`');
  // An unmatched backtick leaves an odd part out: show the text as it came.
  if (parts.length % 2 === 0) return <>{props.text}</>;
  return <>{parts.map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part))}</>;
}

/**
 * A name such as a secret's (`BLYNK_AUTH_TOKEN`), kept on one line: in a narrow table the
 * column keeps the whole name and the table scrolls in its box, rather than the name
 * breaking mid-word. `suffix` (a list's comma) stays on the name's line.
 */
export function Identifier(props: { readonly text: string; readonly suffix?: string }) {
  return (
    <span className="identifier">
      {props.text}
      {props.suffix}
    </span>
  );
}

/** Names separated by commas; each comma stays on the line of the name before it. */
export function NameList(props: { readonly names: readonly string[] }) {
  return (
    <>
      {props.names.map((name, i) => (
        <Fragment key={name}>
          {i > 0 ? ' ' : null}
          <Identifier text={name} suffix={i < props.names.length - 1 ? ',' : undefined} />
        </Fragment>
      ))}
    </>
  );
}

/**
 * Text that may wrap only after a separator (`/ . @ _ - :`) or at a space, never inside a
 * word: `sensor/temp` breaks as `sensor/` + `temp`, `a@example.com` after the `@`.
 */
export function Breakable(props: { readonly text: string }) {
  const parts = props.text.split(/(?<=[/.@_:-])/);
  return (
    <span className="breakable">
      {parts.map((part, i) => (
        <Fragment key={i}>
          {i > 0 ? <wbr /> : null}
          {part}
        </Fragment>
      ))}
    </span>
  );
}
