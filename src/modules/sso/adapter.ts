import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Kysely } from 'kysely';
import type { DB } from '../../schema.js';
import * as repo from './repo.js';

/** Client metadata of a lower platform the provider may serve, or undefined (see provider.ts). */
export type ClientLookup = (clientId: string) => Promise<AdapterPayload | undefined>;

/**
 * The oidc-provider storage adapter on this platform's database (table `oidc_payload`, one row per model and id).
 * Clients are not stored: the `Client` model is answered from the approved lower platforms (sharing connections),
 * so approving, suspending or re-keying a connection takes effect on the next request.
 */
export function adapterFor(db: Kysely<DB>, clients: ClientLookup) {
  let lastPrune = 0;
  return class DbAdapter implements Adapter {
    constructor(readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
      if (Date.now() - lastPrune > 10 * 60_000) {
        lastPrune = Date.now();
        await repo.pruneExpired(db);
      }
      const expiresAt = expiresIn ? new Date(Date.now() + expiresIn * 1000) : null;
      await repo.upsertPayload(db, this.model, id, payload as Record<string, unknown>, expiresAt);
    }

    async find(id: string) {
      if (this.model === 'Client') return clients(id);
      return (await repo.findPayload(db, this.model, 'id', id)) as AdapterPayload | undefined;
    }

    async findByUid(uid: string) {
      return (await repo.findPayload(db, this.model, 'uid', uid)) as AdapterPayload | undefined;
    }

    async findByUserCode(_userCode: string) {
      return undefined; // the device flow is not enabled
    }

    async consume(id: string) {
      await repo.consumePayload(db, this.model, id);
    }

    async destroy(id: string) {
      await repo.destroyPayload(db, this.model, id);
    }

    async revokeByGrantId(grantId: string) {
      await repo.revokeGrant(db, grantId);
    }
  };
}
