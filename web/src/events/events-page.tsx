import { useState } from 'react';
import { Button } from 'react-aria-components/Button';
import { Cell, Column, Row, Table, TableBody, TableHeader } from 'react-aria-components/Table';
import { useScope } from '../scope/scope-context.tsx';
import { Time } from '../ui/format.tsx';
import { Notice } from '../ui/notice.tsx';
import { PageHeader } from '../ui/page-header.tsx';
import { TextInput } from '../ui/text-input.tsx';
import { PublishForm } from './publish-form.tsx';
import { useEventStream } from './use-event-stream.ts';

const STATUS_LABEL = { connecting: 'Connecting…', live: 'Live', paused: 'Paused', reconnecting: 'Reconnecting…' } as const;

/** Events: a live view of the scope's stream and a publish form. */
export function EventsPage() {
  const { prefix } = useScope();
  const [running, setRunning] = useState(true);
  const [filter, setFilter] = useState('');
  const stream = useEventStream(prefix, running);
  const shown = stream.events.filter((e) => e.name.startsWith(filter.trim()));

  return (
    <section>
      <PageHeader title="Events" description="Events published by devices, the API, Logic and integrations (hook-response, hook-error)." />
      <section className="section" aria-labelledby="publish-title">
        <h2 className="section-title" id="publish-title">Publish an event</h2>
        <PublishForm />
      </section>
      <section className="section" aria-labelledby="stream-title">
        <div className="page-header">
          <h2 className="section-title" id="stream-title">
            Live stream{' '}
            <span className={`badge ${stream.status === 'live' ? 'badge-success' : 'badge-warning'}`} data-testid="stream-status">
              {STATUS_LABEL[stream.status]}
            </span>
          </h2>
          <div className="row-actions">
            <Button className="btn btn-secondary btn-small" onPress={() => setRunning((r) => !r)}>
              {running ? 'Pause' : 'Resume'}
            </Button>
            <Button className="btn btn-secondary btn-small" onPress={stream.clear}>
              Clear
            </Button>
          </div>
        </div>
        {stream.error ? <Notice tone="error">{stream.error}</Notice> : null}
        <TextInput label="Filter by name prefix" value={filter} onChange={setFilter} type="search" mono />
        <div className="table-scroll">
          <Table className="table" aria-label="Live events" data-testid="events-table">
            <TableHeader>
              <Column isRowHeader className="col">Name</Column>
              <Column className="col">Data</Column>
              <Column className="col">Device</Column>
              <Column className="col">Published</Column>
            </TableHeader>
            <TableBody
              items={shown}
              renderEmptyState={() => <p className="muted table-empty">{running ? 'Waiting for events…' : 'Paused.'}</p>}
            >
              {(e) => (
                <Row id={e.seq} className="row">
                  <Cell className="cell mono">{e.name}</Cell>
                  <Cell className="cell mono">{e.data ?? ''}</Cell>
                  <Cell className="cell mono">{e.coreid}</Cell>
                  <Cell className="cell"><Time iso={e.published_at} precise /></Cell>
                </Row>
              )}
            </TableBody>
          </Table>
        </div>
      </section>
    </section>
  );
}
