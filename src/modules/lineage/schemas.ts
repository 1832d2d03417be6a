import { type Static, Type } from 'typebox';
import { LiteralUnion, Nullable, Uuid } from '../../kernel/schemas.js';
import { Batch } from '../batches/schemas.js';

/** Request and response schemas of the lineage module (traces, the whole graph, split / repack / merge). */
export const MAX_DEPTH = 100;
export const MAX_GRAPH_NODES = 20_000;

export const DIRECTIONS = ['backward', 'forward'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const IdParams = Type.Object({ id: Uuid });

/**
 * What every lot of a trace says. A lot outside the caller's jurisdiction (seed 003 本辖区, see mask.ts) is `masked`:
 * it keeps its kind, division, quantities, dates and status, while its owner, product, batch number and code are null
 * and its `batchId` is an alias that joins the edges but opens nothing.
 */
const Lot = {
  batchId: Uuid,
  depth: Type.Integer({ description: 'steps from the traced batch (negative: upstream, in the whole graph)' }),
  kind: Type.String(),
  batchNo: Nullable(Type.String()),
  code: Nullable(Type.String()),
  codeUrl: Nullable(Type.String()),
  subjectId: Nullable(Uuid),
  divisionCode: Type.String(),
  quantity: Type.Number(),
  stock: Type.Number(),
  unit: Type.String(),
  producedAt: Type.String(),
  createdAt: Type.String(),
  status: Type.String(),
  recall: Nullable(Type.String({ description: 'number of an open recall covering the batch' })),
  inJurisdiction: Type.Boolean(),
  masked: Type.Boolean({
    description: "outside the caller's jurisdiction: owner, product, batch number and code withheld",
  }),
};

/**
 * One lot as the API sends it (issue 19): the owner's and the product's names are not repeated on every lot but sent
 * once per answer in the dictionaries `subjects` and `products` (id → name), and the division's full name once in
 * `divisions` (code → name); `productId` and `subjectId` are the keys (null when masked).
 */
export const TraceNode = Type.Object({ ...Lot, productId: Nullable(Uuid) });
export type TraceNode = Static<typeof TraceNode>;

/** One lot with its names in place (what `service.trace` gives the monitoring and incident seams). */
export const LineageNode = Type.Object({
  ...Lot,
  productName: Nullable(Type.String()),
  subjectName: Nullable(Type.String()),
  divisionName: Type.String({ description: 'full name of the division (省市县…)' }),
});
export type LineageNode = Static<typeof LineageNode>;

/** The names a trace or graph refers to, each once: owners and products of the visible lots, every lot's division. */
const Dictionaries = {
  subjects: Type.Record(Type.String(), Type.String(), { description: 'subjectId → name of the owner' }),
  products: Type.Record(Type.String(), Type.String(), { description: 'productId → product name' }),
  divisions: Type.Record(Type.String(), Type.String(), {
    description: 'divisionCode → full name of the division (省市县…)',
  }),
};

export const LineageEdge = Type.Object({
  from: Uuid,
  to: Uuid,
  quantity: Nullable(Type.Number()),
  unit: Nullable(Type.String()),
  time: Type.String(),
  bizStep: Type.String(),
});
export type LineageEdge = Static<typeof LineageEdge>;

/** One direction's trace, paged by nodes (ordered by depth). */
export const Trace = Type.Object({
  rootId: Uuid,
  direction: LiteralUnion(DIRECTIONS),
  maxDepth: Type.Integer(),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  more: Type.Boolean(),
  nodes: Type.Array(TraceNode),
  edges: Type.Array(LineageEdge),
  ...Dictionaries,
});
export type Trace = Static<typeof Trace>;

export const TraceQuery = Type.Object({
  maxDepth: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_DEPTH })),
  page: Type.Optional(Type.Integer({ minimum: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
});
export type TraceQuery = Static<typeof TraceQuery>;

export const GraphQuery = Type.Object({
  maxDepth: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_DEPTH })),
  cap: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_GRAPH_NODES })),
});
export type GraphQuery = Static<typeof GraphQuery>;

export const Graph = Type.Object({
  rootId: Uuid,
  total: Type.Integer(),
  truncated: Type.Boolean(),
  nodes: Type.Array(TraceNode),
  edges: Type.Array(LineageEdge),
  ...Dictionaries,
});
export type Graph = Static<typeof Graph>;

const Quantity = Type.Number({ exclusiveMinimum: 0, maximum: 1e12 });

export const SplitInput = Type.Object(
  {
    parts: Type.Array(Type.Object({ quantity: Quantity }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: 100,
    }),
    mode: Type.Optional(LiteralUnion(['split', 'repack'] as const)),
    reissueCertificates: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type SplitInput = Static<typeof SplitInput>;

export const MergeInput = Type.Object(
  {
    inputs: Type.Array(
      Type.Object({ batchId: Uuid, quantity: Type.Optional(Quantity) }, { additionalProperties: false }),
      { minItems: 2, maxItems: 50 },
    ),
    reissueCertificates: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type MergeInput = Static<typeof MergeInput>;

export const TransformResult = Type.Object({
  input: Nullable(Batch),
  outputs: Type.Array(Batch),
  certificates: Type.Array(Type.String()),
  certificateWarning: Nullable(Type.String()),
});
export type TransformResult = Static<typeof TransformResult>;

// ── the chain across platforms, from the shared EPCIS events (issue 15 item 3) ──

export const NetworkLineageQuery = Type.Object(
  {
    code: Type.String({
      minLength: 8,
      maxLength: 300,
      description: 'a trace code (short or long form) or its URL, issued by any platform',
    }),
  },
  { additionalProperties: false },
);
export type NetworkLineageQuery = Static<typeof NetworkLineageQuery>;

export const NetworkStep = Type.Object({
  eventId: Type.String(),
  bizStep: Type.String(),
  eventTime: Type.String(),
  /** The platform that recorded the step (where the event was collected). */
  platform: Type.String(),
});

/** A lot on some platform, named by its trace-code URL as in the shared EPCIS events; masked outside the caller's jurisdiction. */
export const NetworkNode = Type.Object({
  key: Type.String({ description: 'the trace-code URL, or an alias when masked' }),
  code: Nullable(Type.String()),
  depth: Type.Integer({ description: 'steps from the traced lot (negative: upstream)' }),
  platform: Type.String({ description: 'the platform holding the lot' }),
  divisionCode: Type.String(),
  productName: Nullable(Type.String()),
  subjectId: Nullable(Type.String()),
  quantity: Nullable(Type.Number()),
  unit: Nullable(Type.String()),
  masked: Type.Boolean(),
  steps: Type.Array(NetworkStep),
});
export type NetworkNode = Static<typeof NetworkNode>;

export const NetworkEdge = Type.Object({
  from: Type.String(),
  to: Type.String(),
  kind: LiteralUnion(['sale', 'transformation'] as const),
  saleId: Nullable(Type.String()),
  quantity: Nullable(Type.Number()),
  fromPlatform: Type.String(),
  toPlatform: Type.String(),
});
export type NetworkEdge = Static<typeof NetworkEdge>;

export const NetworkLineage = Type.Object({
  root: Type.String(),
  nodes: Type.Array(NetworkNode),
  edges: Type.Array(NetworkEdge),
  platforms: Type.Array(Type.String()),
});
export type NetworkLineage = Static<typeof NetworkLineage>;
