// The JSON API of docs/api.md: types and a fetch wrapper that turns every failure into an ApiError whose
// message a person can read.

export interface ApiDate {
  value: string;
  precision: "day" | "month" | "quarter" | "half" | "year";
  start: string;
  end: string;
}

export interface ActorRef {
  key: string;
  name: string;
  role?: string;
}

export interface SourceRef {
  key: string;
  title: string;
  url?: string | null;
  authors?: string[];
  publisher?: string | null;
  published?: ApiDate | null;
}

export interface TimelineEvent {
  key: string;
  title: string;
  date: ApiDate;
  kind: string | null;
  summary?: string | null;
  actors: ActorRef[];
  affects: { key: string; name: string; effect: string }[];
  sources: SourceRef[];
}

export interface Segment {
  status: string;
  from: ApiDate;
  to: ApiDate | null;
}

export interface TimelinePeriod {
  key: string;
  label: string;
  name: string;
  kind: string | null;
  actors: ActorRef[];
  segments: Segment[];
  sources: SourceRef[];
}

export interface TimelineResponse {
  from: ApiDate | null;
  to: ApiDate | null;
  events: TimelineEvent[];
  periods: TimelinePeriod[];
  total: number;
  next: string | null;
}

export interface EntityResponse {
  key: string;
  labels: string[];
  name: string;
  properties: Record<string, unknown>;
  validity?: { from: ApiDate | null; to: ApiDate | null }[];
  status?: { on: string; status: string | null } | null;
  segments?: Segment[];
  sources: SourceRef[];
  neighbours: {
    nodes: { key: string; labels: string[]; name: string }[];
    relationships: { type: string; from: string; to: string; properties: Record<string, unknown> }[];
  };
  timeline: TimelineEvent[];
  versions: { record_time: string; to_record_time: string | null; origin: string; properties: Record<string, unknown> }[];
  // Issue 11's sections (docs/api.md): absent from an older server, so every one is optional here.
  announcement?: Announcement | null;
  measures?: Measure[];
  measure?: Measure | null;
  causal_links?: CausalLink[];
  claims?: Claim[];
  observations?: ObservationSeries[];
  variants?: DisputedProperty[];
}

export interface EntityRef {
  key: string;
  name: string;
  labels: string[];
}

export interface SourceDetail extends SourceRef {
  source_kind?: string | null;
}

export interface Announcement {
  key: string;
  title: string;
  instrument_id: string | null;
  instrument_kind: string | null;
  announced: ApiDate | null;
  published: ApiDate | null;
  official: boolean | null;
  url: string | null;
  issuers: { key: string; name: string; role: string | null }[];
  /** On the announcement itself: its measures' statuses aggregated. */
  package_status?: { on: string; status: string | null; measures: Record<string, number> };
  /** On a measure's `announcement`: how many measures the instrument holds. */
  measure_count?: number;
}

export interface Jurisdiction {
  key: string;
  name: string;
  role: "implementing" | "affected";
  as: string | null;
  basis: string | null;
  licence: string | null;
  confidence: number | null;
  note: string | null;
}

export interface HsCodeRef {
  key: string;
  code: string;
  description: string | null;
  level: string | null;
  via: { key: string; name: string } | null;
}

export interface CoveredMaterial {
  key: string;
  name: string;
  label: string;
  form?: string | null;
  form_of?: { key: string; name: string }[];
}

export interface CausalLink {
  direction: "out" | "in";
  kind: string | null;
  key: string;
  name: string;
  labels: string[];
  confidence: number | null;
  note: string | null;
  sources: SourceDetail[];
}

export interface Measure {
  key: string;
  name: string;
  control_kind: string | null;
  intervention_type: string | null;
  mast_code: string | null;
  evaluation: string | null;
  evaluated: ApiDate | null;
  scope: string | null;
  announced: ApiDate | null;
  status: { on: string; status: string | null };
  segments: Segment[];
  hs_codes: HsCodeRef[];
  materials: CoveredMaterial[];
  jurisdictions: Jurisdiction[];
  causal_links: CausalLink[];
}

export interface Claim {
  key: string;
  text: string;
  authors: string[];
  claim_kind: string | null;
  stance: string | null;
  stated: ApiDate | null;
  confidence: number | null;
  note: string | null;
  sources: SourceDetail[];
  about: EntityRef[];
}

export interface ObservationSeries {
  series: string | null;
  metric: string;
  unit: string;
  flow: string | null;
  roles: string[];
  dimensions: (EntityRef & { role: string | null })[];
  points: { key: string; period: ApiDate; value: unknown; confidence?: number }[];
  sources: SourceRef[];
}

export interface DisputedProperty {
  property: string;
  current: unknown;
  values: { key: string; value: unknown; preferred: boolean; confidence: number | null; note: string | null; sources: SourceDetail[] }[];
}

export interface SearchResponse {
  results: { key: string; name: string; labels: string[]; matched: string }[];
}

export interface QueryResponse {
  columns: string[];
  rows: unknown[][];
  stats: Record<string, unknown>;
  elapsed_ms: number;
  truncated: boolean;
}

export interface ChangeRef {
  key: string;
  item: "event" | "period";
  label: string;
  title: string;
  fields?: string[];
}

/** GET /api/changes: the timeline's items added, changed or removed after a record time. */
export interface ChangesResponse {
  since: string;
  until: string | null;
  added: ChangeRef[];
  changed: ChangeRef[];
  removed: ((TimelineEvent & { item: "event" }) | (TimelinePeriod & { item: "period" }))[];
  commits: { record_time: string; origin: string }[];
}

export interface CommitsResponse {
  commits: { record_time: string; origin: string; nodes_changed: number; relationships_changed: number }[];
}

export interface HealthResponse {
  status: string;
  nodes: number;
  relationships: number;
  last_record_time: string | null;
}

export class ApiError extends Error {
  status: number;
  kind: string;
  detail?: string;
  line?: number;
  column?: number;
  formatted?: string;
  constructor(status: number, kind: string, message: string, extra: Partial<ApiError> = {}) {
    super(message);
    this.status = status;
    this.kind = kind;
    Object.assign(this, extra);
  }
  /** One line for a banner: "404 NotFound: no entity has the key …". */
  get summary(): string {
    return this.status ? `${this.status} ${this.kind}: ${this.message}` : this.message;
  }
}

/** Percent-encodes a key for a path, keeping `/` (docs/api.md "Keys"). */
export function keyPath(key: string): string {
  return key.replace(/[^A-Za-z0-9/_.-]/g, (c) =>
    Array.from(new TextEncoder().encode(c), (b) => "%" + b.toString(16).toUpperCase().padStart(2, "0")).join(""),
  );
}

async function request<T>(path: string, init: RequestInit = {}, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, signal, headers: { Accept: "application/json", ...(init.headers ?? {}) } });
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    throw new ApiError(0, "NetworkError", "Cannot reach the Lodestone server. Is it running? (" + (e as Error).message + ")");
  }
  const text = await res.text();
  let body: any = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: handled below */
  }
  if (!res.ok) {
    const err = body?.error;
    if (err && typeof err.message === "string") {
      throw new ApiError(err.status ?? res.status, err.kind ?? "Error", err.message, {
        detail: err.detail, line: err.line, column: err.column, formatted: err.formatted,
      });
    }
    throw new ApiError(res.status, res.statusText || "HTTPError", `The server answered ${res.status} ${res.statusText} without an error body.`);
  }
  if (body === undefined) throw new ApiError(res.status, "BadResponse", "The server's answer was not JSON.");
  return body as T;
}

export const api = {
  health: (signal?: AbortSignal) => request<HealthResponse>("/healthz", {}, signal),
  timeline: (params: URLSearchParams, signal?: AbortSignal) => request<TimelineResponse>(`/api/timeline?${params}`, {}, signal),
  entity: (key: string, signal?: AbortSignal) => request<EntityResponse>(`/api/entity/${keyPath(key)}`, {}, signal),
  changes: (params: URLSearchParams, signal?: AbortSignal) => request<ChangesResponse>(`/api/changes?${params}`, {}, signal),
  commits: (limit = 20, signal?: AbortSignal) => request<CommitsResponse>(`/api/commits?limit=${limit}`, {}, signal),
  search: (q: string, limit = 12, signal?: AbortSignal) =>
    request<SearchResponse>(`/api/search?${new URLSearchParams({ q, limit: String(limit) })}`, {}, signal),
  query: (query: string, params: Record<string, unknown> = {}, signal?: AbortSignal) =>
    request<QueryResponse>("/api/query", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ query, params }),
    }, signal),
};

/** Fetches every page of the timeline (following `next`), up to `max` items. */
export async function fetchTimeline(params: URLSearchParams, signal?: AbortSignal, max = 5000): Promise<TimelineResponse> {
  const p = new URLSearchParams(params);
  p.set("limit", "1000");
  const first = await api.timeline(p, signal);
  const all = { ...first, events: [...first.events], periods: [...first.periods] };
  let next = first.next;
  while (next && all.events.length + all.periods.length < max) {
    p.set("cursor", next);
    const page = await api.timeline(p, signal);
    all.events.push(...page.events);
    all.periods.push(...page.periods);
    next = page.next;
  }
  all.next = next;
  return all;
}
