import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { DB } from '../schema.js';
import type { VerbTable } from './auth/roles.js';
import { type CollectionHook, installCollectionHook } from './collection.js';
import {
  type MessageHandler,
  type MessageSender,
  type PlatformLink,
  type ShareHook,
  installMessaging,
  installPlatformLink,
  installShareHook,
} from './sharing.js';
import type { Actor, Ctx } from './context.js';
import type { Database } from './db/connect.js';
import { type OwnerCheck, registerFileOwner } from './files.js';
import { type JobDef, registerJob } from './jobs.js';
import { type ReviewOwner, type ReviewQueue, installReviewOwners, installReviewQueue } from './review.js';

/** What a demo step works with: the database, the configuration, a log, and ways to act as someone. */
export interface DemoEnv {
  database: Database;
  config: Config;
  log: (msg: string) => void;
  /** The actor of a demo account, with its roles' verbs; `db` to read it inside an open transaction. */
  actor(username: string, db?: Kysely<DB>): Promise<Actor>;
  /** Runs `fn` in its own transaction as the named account (services called as that account). */
  as<T>(username: string, fn: (ctx: Ctx) => Promise<T>): Promise<T>;
  /** Runs `fn` in its own transaction with no actor (seeding that no account does: accounts, producers). */
  system<T>(fn: (ctx: Ctx<null>) => Promise<T>): Promise<T>;
}

/**
 * A step of the demo data (`npm run demo`): idempotent (it does nothing when it finds its data there), run in module
 * order after the steps it names in `after`. A step writes only its own module's tables and calls other modules'
 * services for the rest, like any other code.
 */
export interface DemoStep {
  name: string;
  /** Names of demo steps (of any module) that must run first. */
  after?: readonly string[];
  run(env: DemoEnv): Promise<void>;
}

/**
 * A feature module declares everything it brings, and `src/modules/index.ts` lists the modules: adding a module
 * there is the only registration (nothing registers itself as a side effect of being imported).
 */
export interface ModuleDef {
  name: string;
  /** Routes, mounted under /api/v1 unless `prefix` says otherwise. */
  routes?: (app: FastifyInstance) => Promise<void>;
  prefix?: string;
  /** Permission verbs this module defines, with the roles that hold them. */
  verbs?: VerbTable;
  /** Background job kinds this module runs (kind → handler, optionally recurring). */
  jobs?: Record<string, JobDef>;
  /** Stored-file owner types of this module, each with the check of who may read such a file. */
  fileOwners?: Record<string, OwnerCheck>;
  /** This module's demo data steps. */
  demo?: readonly DemoStep[];
  /** The collection hook (one module at most: infocatalog) checking every write against the catalogue. */
  collectionHook?: CollectionHook;
  /** The upward-sharing hook (one module at most: sharing) behind kernel/sharing.ts `shareRecord`. */
  shareHook?: ShareHook;
  /** The platform link (one module at most: sharing) behind kernel/sharing.ts `platformLink`. */
  platformLink?: PlatformLink;
  /** The sender of messages to other platforms (one module at most: sharing) behind `sendToPlatform`. */
  messageSender?: MessageSender;
  /** The message kinds this module handles when they arrive for this platform (kind → handler). */
  messageHandlers?: Record<string, MessageHandler>;
  /** The review queue (one module at most: review) behind kernel/review.ts `reviewSubmitted` / `reviewDecided`. */
  reviewQueue?: ReviewQueue;
  /** Resources whose review decisions this module owns (resource → owner), performed from the review queue. */
  reviewOwners?: Record<string, ReviewOwner>;
}

export function assembleVerbs(modules: readonly ModuleDef[]): VerbTable {
  const table: VerbTable = {};
  for (const m of modules) {
    for (const [verb, def] of Object.entries(m.verbs ?? {})) {
      if (table[verb]) throw new Error(`verb ${verb} defined twice`);
      if (!/^[a-z][a-zA-Z]*\.[a-z][a-zA-Z]*$/.test(verb)) throw new Error(`verb ${verb} is not module.action`);
      table[verb] = def;
    }
  }
  return table;
}

/** Registers every module's jobs and file owners with the kernel (idempotent; called by buildApp and the CLI). */
export function installModules(modules: readonly ModuleDef[]): void {
  const seenJobs = new Set<string>();
  const seenOwners = new Set<string>();
  const hooks = modules.flatMap((m) => (m.collectionHook ? [m.collectionHook] : []));
  if (hooks.length > 1) throw new Error('more than one module installs a collection hook');
  installCollectionHook(hooks[0] ?? null);
  const shareHooks = modules.flatMap((m) => (m.shareHook ? [m.shareHook] : []));
  if (shareHooks.length > 1) throw new Error('more than one module installs a share hook');
  installShareHook(shareHooks[0] ?? null);
  const links = modules.flatMap((m) => (m.platformLink ? [m.platformLink] : []));
  if (links.length > 1) throw new Error('more than one module installs a platform link');
  installPlatformLink(links[0] ?? null);
  const senders = modules.flatMap((m) => (m.messageSender ? [m.messageSender] : []));
  if (senders.length > 1) throw new Error('more than one module installs a message sender');
  const byKind = new Map<string, MessageHandler>();
  for (const m of modules)
    for (const [kind, h] of Object.entries(m.messageHandlers ?? {})) {
      if (byKind.has(kind)) throw new Error(`message kind ${kind} handled twice`);
      byKind.set(kind, h);
    }
  installMessaging(senders[0] ?? null, byKind);
  const queues = modules.flatMap((m) => (m.reviewQueue ? [m.reviewQueue] : []));
  if (queues.length > 1) throw new Error('more than one module installs a review queue');
  installReviewQueue(queues[0] ?? null);
  const reviewOwners = new Map<string, ReviewOwner>();
  for (const m of modules)
    for (const [resource, o] of Object.entries(m.reviewOwners ?? {})) {
      if (reviewOwners.has(resource)) throw new Error(`review owner of ${resource} declared twice`);
      reviewOwners.set(resource, o);
    }
  installReviewOwners(reviewOwners);
  for (const m of modules) {
    for (const [kind, def] of Object.entries(m.jobs ?? {})) {
      if (seenJobs.has(kind)) throw new Error(`job kind ${kind} declared twice`);
      seenJobs.add(kind);
      registerJob(kind, def.run, { everyMs: def.everyMs, result: def.result });
    }
    for (const [type, check] of Object.entries(m.fileOwners ?? {})) {
      if (seenOwners.has(type)) throw new Error(`file owner ${type} declared twice`);
      seenOwners.add(type);
      registerFileOwner(type, check);
    }
  }
}

/** Demo steps of every module, ordered so that each runs after the steps it names (then in module order). */
export function demoSteps(modules: readonly ModuleDef[]): DemoStep[] {
  const all = modules.flatMap((m) => m.demo ?? []);
  const byName = new Map(all.map((s) => [s.name, s]));
  const out: DemoStep[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (s: DemoStep) => {
    const st = state.get(s.name);
    if (st === 'done') return;
    if (st === 'visiting') throw new Error(`demo steps form a cycle at ${s.name}`);
    state.set(s.name, 'visiting');
    for (const dep of s.after ?? []) {
      const d = byName.get(dep);
      if (!d) throw new Error(`demo step ${s.name} runs after unknown step ${dep}`);
      visit(d);
    }
    state.set(s.name, 'done');
    out.push(s);
  };
  for (const s of all) visit(s);
  return out;
}
