import type { Actor, Ctx } from './context.js';

/**
 * The seam between the review queue (信息审核, seed 000 art. 12; the review module) and the modules that own reviewed
 * records with their own state tables (producer registrations in subjects, origin records in originmap). The kernel
 * knows no module, and neither side imports the other:
 * - the review module installs the queue (ModuleDef.reviewQueue): an owner calls `reviewSubmitted` when its record
 *   enters review (submitted or resubmitted) and `reviewDecided` when its own page decided it, in its transaction;
 * - an owner module declares a `ReviewOwner` per resource (ModuleDef.reviewOwners): the queue calls `decide` to perform
 *   the owner's transition (the owner's service, its rules, its audit) and asks it who may review.
 * Without an installed queue (the CLI before modules load) the calls do nothing.
 */
export interface ReviewSubmission {
  resource: string;
  resourceZh: string;
  resourceEn: string;
  recordId: string;
  label: string;
  /** The organisation that entered the record (it sees the item and corrects the record). */
  orgId: string | null;
  /** The account that entered it (it may not review it). */
  collectorId: string | null;
  divisionCode: string;
  /**
   * The owner's review deadline (a China date, e.g. a registration's 5 working days): the queue's clock shows and
   * sorts by it, so there is one deadline. Without it the queue's own clock applies.
   */
  dueDate?: string | null;
}

export interface ReviewDecision {
  action: 'approve' | 'return';
  /** Return reasons as the queue names them (code with zh/en wording); empty on approval. */
  reasons: { code: string; zh: string; en: string }[];
  comment: string | null;
}

export interface ReviewQueue {
  /** Records that entered review (one, or a spreadsheet import's batch at once). */
  submitted(ctx: Ctx<Actor | null>, s: readonly ReviewSubmission[]): Promise<void>;
  decided(
    ctx: Ctx,
    resource: string,
    recordId: string,
    d: { action: 'approve' | 'return'; reasons: string[]; comment: string | null },
  ): Promise<void>;
}

export interface ReviewOwner {
  /** Performs the owner's transition for the record (throws the owner's Problem when it may not be taken). */
  decide(ctx: Ctx, recordId: string, d: ReviewDecision): Promise<void>;
  /** May the actor decide a record of this resource in `divisionCode` on the owner's own page? */
  mayReview(actor: Actor, divisionCode: string): boolean;
  /** Does the actor review this resource at all (its jurisdiction aside)? Decides whose queue shows the items. */
  reviews(actor: Actor): boolean;
  /** Where the record's page is in the web app. */
  link(recordId: string): string;
}

let queue: ReviewQueue | null = null;
const owners = new Map<string, ReviewOwner>();

export function installReviewQueue(q: ReviewQueue | null): void {
  queue = q;
}

export function installReviewOwners(map: ReadonlyMap<string, ReviewOwner>): void {
  owners.clear();
  for (const [k, v] of map) owners.set(k, v);
}

/** The owner of a resource's review decisions, when a module owns one (else the queue decides alone). */
export function reviewOwnerOf(resource: string): ReviewOwner | undefined {
  return owners.get(resource);
}

/** Resources whose review an owner module performs. */
export function ownedReviewResources(): string[] {
  return [...owners.keys()];
}

/** The owner's record entered review (submitted, or resubmitted after a return): the queue gets a pending item. */
export async function reviewSubmitted(
  ctx: Ctx<Actor | null>,
  s: ReviewSubmission | readonly ReviewSubmission[],
): Promise<void> {
  const list = Array.isArray(s) ? s : [s as ReviewSubmission];
  if (queue && list.length) await queue.submitted(ctx, list);
}

/** The owner decided its record on its own page: the queue's item is resolved in the same transaction. */
export async function reviewDecided(
  ctx: Ctx,
  resource: string,
  recordId: string,
  d: { action: 'approve' | 'return'; reasons: string[]; comment: string | null },
): Promise<void> {
  if (queue) await queue.decided(ctx, resource, recordId, d);
}
