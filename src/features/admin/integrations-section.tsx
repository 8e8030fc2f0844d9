// Integrations: an owner's Shopify shop or API client. An API key (or a callback's signing secret)
// is shown once, in the answer that issued it, and never again: this screen keeps it in memory
// only until the admin closes it.
import { useCallback, useState, type FormEvent } from 'react';
import type { Integration } from '../../domain/admin';
import type { Owner } from '../../domain/entities';
import { useAdminDeps } from './admin-context';
import { AdminTable, FormEnd, LoadState, type Notice, NoticeLine, OwnerSelect, useAdminLoad, when } from './admin-parts';

/** A secret shown this once. */
interface Shown {
  title: string;
  secret: string;
  how: string;
}

function ShownOnce({ shown, onClose }: { shown: Shown; onClose: () => void }) {
  return (
    <div className="admin-secret" role="group" aria-label={shown.title}>
      <h3>{shown.title}</h3>
      <p>Copy it now: it is shown only this once. {shown.how}</p>
      <p>
        <code className="admin-secret-value">{shown.secret}</code>
      </p>
      <button type="button" className="button button-primary" onClick={onClose}>
        I have copied it
      </button>
    </div>
  );
}

function NewIntegrationForm({ owners, onDone }: { owners: readonly Owner[]; onDone: (created: { integration: Integration; apiKey?: string } | null) => void }) {
  const { commands } = useAdminDeps();
  const [ownerId, setOwnerId] = useState(owners[0]?.id ?? '');
  const [name, setName] = useState('');
  const [type, setType] = useState<'api' | 'shopify'>('api');
  const [shopDomain, setShopDomain] = useState('');
  const [webhookSecret, setWebhookSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await commands.addIntegration({ owner: ownerId, name, type, ...(type === 'shopify' ? { shopDomain, webhookSecret } : {}) });
    setBusy(false);
    if (result.ok) onDone(result.value);
    else setError(result.message);
  };

  return (
    <form className="admin-form" onSubmit={(event) => void submit(event)} aria-label="Add integration">
      <h3>Add integration</h3>
      <OwnerSelect owners={owners} value={ownerId} onChange={setOwnerId} />
      <label className="field">
        <span className="field-label">Name</span>
        <input value={name} onChange={(event) => setName(event.target.value)} required maxLength={100} />
      </label>
      <label className="field">
        <span className="field-label">Kind</span>
        <select className="admin-select" value={type} onChange={(event) => setType(event.target.value as 'api' | 'shopify')}>
          <option value="api">API client (gets a key)</option>
          <option value="shopify">Shopify shop (webhooks)</option>
        </select>
      </label>
      {type === 'shopify' && (
        <>
          <label className="field">
            <span className="field-label">Shop domain</span>
            <input value={shopDomain} onChange={(event) => setShopDomain(event.target.value)} required placeholder="acme.myshopify.com" autoCapitalize="none" />
          </label>
          <label className="field">
            <span className="field-label">Webhook signing secret</span>
            <input type="password" value={webhookSecret} onChange={(event) => setWebhookSecret(event.target.value)} required minLength={8} autoComplete="off" />
          </label>
        </>
      )}
      {error && (
        <p className="admin-notice admin-notice-bad" role="alert">
          {error}
        </p>
      )}
      <div className="admin-actions">
        <button type="submit" className="button button-primary" disabled={busy || ownerId === ''}>
          Create integration
        </button>
        <button type="button" className="button" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

type Editing = { kind: 'rotate' | 'callback' | 'revoke'; integration: Integration } | null;

const ACTIONS = [
  { kind: 'rotate', label: 'Rotate' },
  { kind: 'callback', label: 'Callback' },
  { kind: 'revoke', label: 'Revoke' },
] as const;

/** Rotating a shop needs its new webhook secret; an API client gets a new key. The old one works 24 h more. */
function ActionForm({ editing, onDone }: { editing: NonNullable<Editing>; onDone: (notice: Notice | null, shown?: Shown) => void }) {
  const { commands } = useAdminDeps();
  const { integration, kind } = editing;
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (kind === 'revoke') {
      const result = await commands.revokeIntegration(integration.id);
      return result.ok ? onDone({ ok: true, message: `${integration.name} is revoked: its keys and secrets stopped working.` }) : setError(result.message);
    }
    if (kind === 'rotate') {
      const result = await commands.rotateIntegration(integration.id, integration.type === 'shopify' ? { webhookSecret: value } : {});
      if (!result.ok) return setError(result.message);
      const notice = { ok: true, message: `${integration.name} rotated. The previous ${integration.type === 'api' ? 'key' : 'secret'} keeps working for 24 hours.` };
      return onDone(notice, result.value.apiKey ? { title: `New API key for ${integration.name}`, secret: result.value.apiKey, how: 'Send it as "Authorization: Bearer <key>".' } : undefined);
    }
    const result = await commands.setFulfillmentCallback(integration.id, value.trim() === '' ? null : value);
    if (!result.ok) return setError(result.message);
    const notice = { ok: true, message: result.value.url ? `${integration.name} is told of shipments at ${result.value.url}.` : `${integration.name} is no longer told of shipments.` };
    return onDone(notice, result.value.signingSecret
      ? { title: `Signing secret for ${integration.name}`, secret: result.value.signingSecret, how: 'Notices carry their HMAC-SHA256 in the X-Dockhand-Hmac-Sha256 header.' }
      : undefined);
  };

  const title = kind === 'revoke' ? `Revoke ${integration.name}` : kind === 'rotate' ? `Rotate ${integration.name}` : `Shipment callback of ${integration.name}`;
  return (
    <form className="admin-form" onSubmit={(event) => void submit(event)} aria-label={title}>
      <h3>{title}</h3>
      {kind === 'revoke' && <p>Every key and secret of {integration.name} stops working at once. This cannot be undone.</p>}
      {kind === 'rotate' && integration.type === 'shopify' && (
        <label className="field">
          <span className="field-label">New webhook signing secret</span>
          <input type="password" value={value} onChange={(event) => setValue(event.target.value)} required minLength={8} autoComplete="off" />
        </label>
      )}
      {kind === 'rotate' && integration.type === 'api' && <p>A new key is issued and shown once; the current key keeps working for 24 hours.</p>}
      {kind === 'callback' && (
        <label className="field">
          <span className="field-label">Callback URL (empty: none)</span>
          <input type="url" value={value} onChange={(event) => setValue(event.target.value)} placeholder="https://store.example.com/dockhand/shipments" />
        </label>
      )}
      <FormEnd error={error} submit={kind === 'revoke' ? 'Revoke integration' : kind === 'rotate' ? 'Rotate' : 'Save callback'} onCancel={() => onDone(null)} />
    </form>
  );
}

export default function IntegrationsSection() {
  const { commands } = useAdminDeps();
  const loadIntegrations = useCallback(() => commands.listIntegrations(), [commands]);
  const loadOwners = useCallback(() => commands.listOwners(), [commands]);
  const { result, reload } = useAdminLoad(loadIntegrations);
  const owners = useAdminLoad(loadOwners).result;
  const ownerList = owners?.ok ? owners.value : [];
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Editing>(null);
  const [shown, setShown] = useState<Shown | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);

  const finish = async (next: Notice | null, secret?: Shown) => {
    setAdding(false);
    setEditing(null);
    if (secret) setShown(secret);
    if (!next) return;
    setNotice(next);
    await reload();
  };

  const created = (issued: { integration: Integration; apiKey?: string } | null) => {
    if (!issued) return void finish(null);
    const secret = issued.apiKey ? { title: `API key for ${issued.integration.name}`, secret: issued.apiKey, how: 'Send it as "Authorization: Bearer <key>" or "X-Api-Key: <key>".' } : undefined;
    void finish({ ok: true, message: `${issued.integration.name} created.` }, secret);
  };

  const code = (ownerId: string) => ownerList.find((owner) => owner.id === ownerId)?.code ?? ownerId;

  return (
    <>
      <h2>Integrations</h2>
      <LoadState result={result} />
      {shown && <ShownOnce shown={shown} onClose={() => setShown(null)} />}
      {result?.ok && result.value.length === 0 && <p>No integrations yet.</p>}
      {result?.ok && result.value.length > 0 && (
        <AdminTable
          caption="Integrations"
          columns={[
            { header: 'Name', cell: (integration) => integration.name },
            { header: 'Owner', cell: (integration) => code(integration.ownerId) },
            { header: 'Kind', cell: (integration) => (integration.type === 'api' ? 'API client' : `Shopify: ${integration.shopDomain ?? ''}`) },
            { header: 'Created', cell: (integration) => when(integration.createdAt) },
            {
              header: 'Status',
              cell: (integration) =>
                integration.revokedAt
                  ? `Revoked ${when(integration.revokedAt)}`
                  : `Active, ${integration.credentials.length} ${integration.credentials.length === 1 ? 'secret' : 'secrets'} valid`,
            },
          ]}
          rows={result.value}
          rowKey={(integration) => integration.id}
          rowClass={(integration) => (integration.revokedAt ? 'admin-row-off' : undefined)}
          actions={(integration) =>
            !integration.revokedAt &&
            ACTIONS.map(({ kind, label }) => (
              <button key={kind} type="button" className="button" onClick={() => setEditing({ kind, integration })} aria-label={`${label} ${integration.name}`}>
                {label}
              </button>
            ))
          }
        />
      )}
      <NoticeLine notice={notice} />
      {editing && <ActionForm key={`${editing.kind}-${editing.integration.id}`} editing={editing} onDone={(next, secret) => void finish(next, secret)} />}
      {!editing && adding && <NewIntegrationForm owners={ownerList} onDone={created} />}
      {!editing && !adding && result?.ok && (
        <button type="button" className="button" onClick={() => setAdding(true)} disabled={ownerList.length === 0}>
          Add integration
        </button>
      )}
    </>
  );
}
