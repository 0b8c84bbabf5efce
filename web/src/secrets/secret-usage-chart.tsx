import { Link } from 'react-router';
import type { Secret, SecretConsumer } from '../api/types.ts';
import { Time } from '../ui/time.tsx';

const BAR = 10;
const HEIGHT = 36;

/** `YYYY-MM-DD` of the day `daysAgo` before today (UTC, as the server counts). */
function dayLabel(daysAgo: number, nowMs: number): string {
  return new Date(nowMs - daysAgo * 86_400_000).toISOString().slice(0, 10);
}

function consumerLink(base: string, secret: Secret, c: SecretConsumer): string {
  if (c.kind === 'logic') return `${base}/logic/${encodeURIComponent(c.id)}`;
  const slug = secret.integrations.find((i) => i.id === c.id)?.product_slug;
  return `${base}/integrations/${encodeURIComponent(c.id)}${slug ? `?product=${encodeURIComponent(slug)}` : ''}`;
}

/** Thirty bars, one per day; every consumer's chart has the same scale, so they compare at a glance. */
function DayBars(props: { readonly consumer: SecretConsumer; readonly max: number; readonly nowMs: number }) {
  const { consumer, max } = props;
  const days = consumer.daily.length;
  return (
    <svg
      className="usage-bars"
      viewBox={`0 0 ${days * BAR} ${HEIGHT}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={`${consumer.name}: ${consumer.total} use${consumer.total === 1 ? '' : 's'} in the last ${days} days, ${consumer.daily.at(-1) ?? 0} today`}
      data-testid={`usage-bars-${consumer.kind}-${consumer.id}`}
    >
      <line x1={0} x2={days * BAR} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} className="usage-baseline" />
      {consumer.daily.map((n, i) => {
        const h = n === 0 ? 0 : Math.max(2, Math.round((n / max) * (HEIGHT - 2)));
        return (
          <rect key={i} x={i * BAR + 1} width={BAR - 2} y={HEIGHT - h} height={h} className="usage-bar">
            <title>{`${dayLabel(days - 1 - i, props.nowMs)}: ${n}`}</title>
          </rect>
        );
      })}
    </svg>
  );
}

/**
 * Access by consumer: per integration and Logic function, its uses of the secret per day for
 * the last 30 days (plain SVG), the total and the last use; names link to the consumer.
 */
export function SecretUsageChart(props: { readonly secret: Secret; readonly base: string; readonly nowMs?: number }) {
  const consumers = props.secret.consumers ?? [];
  const nowMs = props.nowMs ?? Date.now();
  if (consumers.length === 0) return <p className="muted">No integration or Logic function has used it in the last 30 days.</p>;
  const max = Math.max(1, ...consumers.flatMap((c) => c.daily));
  return (
    <ul className="usage-chart" aria-label="Uses per day over the last 30 days" data-testid="secret-usage-chart">
      {consumers.map((c) => (
        <li key={`${c.kind}:${c.id}`} className="usage-chart-item">
          <div className="usage-chart-head">
            <Link to={consumerLink(props.base, props.secret, c)}>{c.name || c.id}</Link>
            <span className="muted">
              {c.kind === 'logic' ? 'Logic function' : 'Integration'} · {c.total} use{c.total === 1 ? '' : 's'} · last <Time iso={c.last_used_at} never="never" focusable />
            </span>
          </div>
          <DayBars consumer={c} max={max} nowMs={nowMs} />
          <div className="usage-chart-axis muted" aria-hidden="true">
            <span>30 days ago</span>
            <span>today</span>
          </div>
        </li>
      ))}
    </ul>
  );
}
