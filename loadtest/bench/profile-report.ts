import type { ProfileSummary, TimeEntry } from './cpu-profile-summary.ts';
import { markdownTable } from './markdown.ts';
import { byConcern } from './profile-concerns.ts';

/** One server's profiled window: its summary and the requests it completed meanwhile. */
export type ProfiledServer = {
  name: string;
  summary: ProfileSummary;
  requests: number;
  /** Requests of the window that failed: a profile of a server failing fast is not one of its normal work. */
  failures: number;
  /** CPU per request of the whole process over the same window, from /proc, in µs. */
  cpuPerRequestUs: number;
};

const TOP = 30;

/** Markdown tables of where each server's time went, per request, with the servers' packages side by side. */
export function renderProfileReport(servers: readonly ProfiledServer[]): string {
  const perRequest = (server: ProfiledServer, entry: TimeEntry | undefined) =>
    entry === undefined ? 0 : (entry.ms * 1000) / server.requests;
  const sideBySide = (title: string, group: (server: ProfiledServer) => readonly TimeEntry[]) => {
    const names = [...new Set(servers.flatMap((server) => group(server).map((entry) => entry.name)))];
    const rows = names
      .map((name) => ({
        name,
        us: servers.map((server) =>
          perRequest(
            server,
            group(server).find((entry) => entry.name === name),
          ),
        ),
      }))
      .sort((a, b) => Math.max(...b.us) - Math.max(...a.us))
      .slice(0, TOP);
    return markdownTable(
      [title, ...servers.map((server) => server.name)],
      rows.map((row) => [row.name, ...row.us.map((us) => us.toFixed(1))]),
      servers.map((_, i) => i + 1),
    );
  };
  const sections = [
    markdownTable(
      ['Server', 'Requests', 'Failed', 'CPU/request (/proc, all threads)', 'Profiled busy/request (JS thread)'],
      servers.map((server) => [
        server.name,
        String(server.requests),
        String(server.failures),
        `${server.cpuPerRequestUs.toFixed(0)} µs`,
        `${((server.summary.busyMs * 1000) / server.requests).toFixed(0)} µs`,
      ]),
      [1, 2, 3, 4],
    ),
    '### Self time per request by concern (µs)',
    sideBySide('Concern', (server) => byConcern(server.summary.selfByFunction)),
    '### Self time per request by package (µs)',
    sideBySide('Package or VM frame', (server) => server.summary.selfByPackage),
  ];
  for (const server of servers) {
    const rows = (entries: readonly TimeEntry[]) =>
      entries
        .slice(0, TOP)
        .map((entry) => [entry.name, perRequest(server, entry).toFixed(1), `${(entry.share * 100).toFixed(1)}%`]);
    sections.push(
      `### ${server.name}: self time by function`,
      markdownTable(['Function', 'µs/request', 'Share of busy'], rows(server.summary.selfByFunction), [1, 2]),
      `### ${server.name}: inclusive time by function`,
      markdownTable(['Function', 'µs/request', 'Share of busy'], rows(server.summary.inclusiveByFunction), [1, 2]),
    );
  }
  return sections.join('\n\n');
}
