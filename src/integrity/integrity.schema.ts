import { named$, StringEnum, Type, type Static } from '../common/schema.js';

const Hash = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'Lower-case hex SHA-256.' });

export const CheckpointSchema = named$(
  'Checkpoint',
  Type.Object({
    number: Type.Integer({ minimum: 1 }),
    tree_size: Type.Integer({ minimum: 0 }),
    root: Hash,
    prev: Type.Union([Hash, Type.Null()], { description: 'SHA-256 of the previous checkpoint\'s JWS.' }),
    sealed_at: Type.String({ format: 'date-time' }),
    kid: Type.String(),
    jws: Type.String({ description: 'Compact JWS (EdDSA) over the canonical JSON {v, iss, tenant, number, tree_size, root, prev, sealed_at}. Keep it: it is your proof of what we had.' }),
  }),
);

export const CheckpointListSchema = named$(
  'CheckpointList',
  Type.Object({ data: Type.Array(CheckpointSchema), next_cursor: Type.Union([Type.String(), Type.Null()]) }),
);

export const CheckpointListQuerySchema = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    order: Type.Optional(StringEnum(['asc', 'desc'] as const, { description: 'By number; default desc (newest first).' })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
  },
  { additionalProperties: false },
);
export type CheckpointListQuery = Static<typeof CheckpointListQuerySchema>;

export const ProofQuerySchema = Type.Object(
  { checkpoint: Type.Optional(Type.Integer({ minimum: 1, description: 'Prove against this checkpoint; default the newest.' })) },
  { additionalProperties: false },
);
export type ProofQuery = Static<typeof ProofQuerySchema>;

export const NoteQuerySchema = Type.Object(
  { size: Type.Optional(Type.Integer({ minimum: 1, description: 'The note of the checkpoint of this tree size; default the newest.' })) },
  { additionalProperties: false },
);
export type NoteQuery = Static<typeof NoteQuerySchema>;

export const RootCheckpointQuerySchema = Type.Object(
  { size: Type.Optional(Type.Integer({ minimum: 1, description: 'The root checkpoint of this tree size (final or not); default the newest final one.' })) },
  { additionalProperties: false },
);
export type RootCheckpointQuery = Static<typeof RootCheckpointQuerySchema>;

export const InclusionProofSchema = named$(
  'InclusionProof',
  Type.Object({
    event_id: Type.String({ format: 'uuid' }),
    leaf_index: Type.Integer(),
    leaf_hash: Type.String({ description: 'SHA-256(0x00 ‖ sealed_event).' }),
    tree_size: Type.Integer(),
    audit_path: Type.Array(Hash, { description: 'RFC 6962 audit path, leaf level first.' }),
    checkpoint: CheckpointSchema,
    sealed_event: Type.String({
      description:
        'The event exactly as sealed (canonical JSON): what GET /v1/events/{id} returns, except that classified personal data appears as "vt-enc:…" ciphertext. Hash it to check leaf_hash.',
    }),
  }),
);

export const ConsistencyQuerySchema = Type.Object(
  {
    from: Type.Integer({ minimum: 0, description: 'Older tree size (e.g. of a checkpoint you hold).' }),
    to: Type.Integer({ minimum: 0, description: 'Newer tree size, at most the newest checkpoint\'s.' }),
  },
  { additionalProperties: false },
);
export type ConsistencyQuery = Static<typeof ConsistencyQuerySchema>;

export const ConsistencyProofSchema = named$(
  'ConsistencyProof',
  Type.Object({ from: Type.Integer(), to: Type.Integer(), proof: Type.Array(Hash), from_root: Hash, to_root: Hash }),
);

export const VerifyRequestSchema = named$(
  'VerifyRequest',
  Type.Object(
    {
      from_index: Type.Optional(Type.Integer({ minimum: 0, description: 'Check events from this leaf index (roots are always recomputed over the whole log).' })),
      to_index: Type.Optional(Type.Integer({ minimum: 0, description: 'Exclusive end of the range.' })),
      known_checkpoint: Type.Optional(Type.String({ maxLength: 4096, description: 'A checkpoint JWS you hold: detects rollback and rewritten history.' })),
    },
    { additionalProperties: false, examples: [{}, { from_index: 0, to_index: 100000 }] },
  ),
);
export type VerifyRequest = Static<typeof VerifyRequestSchema>;

export const VerifyReportSchema = named$(
  'VerifyReport',
  Type.Object({
    status: StringEnum(['ok', 'tampered'] as const),
    tree_size: Type.Integer(),
    checkpoints_checked: Type.Integer(),
    events_checked: Type.Integer(),
    newest_checkpoint: Type.Union([Type.Integer(), Type.Null()]),
    tampered: Type.Array(
      Type.Object({
        kind: StringEnum(['modified', 'column_modified', 'deleted', 'inserted', 'duplicated', 'log_rewritten', 'checkpoint_signature', 'checkpoint_chain', 'rollback', 'split_view'] as const),
        event_id: Type.Optional(Type.String()),
        columns: Type.Optional(
          Type.Array(Type.String(), { description: 'column_modified: the stored filter columns that no longer match the sealed event (e.g. organization_id).' }),
        ),
        leaf_index: Type.Optional(Type.Integer()),
        checkpoint: Type.Optional(Type.Integer()),
        detail: Type.String(),
      }),
    ),
    expired: Type.Array(Type.Object({ from_index: Type.Integer(), to_index: Type.Integer(), count: Type.Integer() }), {
      description: 'Leaf ranges whose events were removed by retention: expected, not tampering.',
    }),
    unsealed_recent: Type.Integer(),
    truncated: Type.Boolean({ description: 'More than 1000 findings; only the first are listed.' }),
  }),
);

export const SealResultSchema = named$('SealResult', Type.Object({ checkpoints: Type.Array(CheckpointSchema), sealed: Type.Integer() }));

export const EventVerificationQuerySchema = Type.Object(
  {
    ids: Type.String({
      minLength: 36,
      maxLength: 100 * 37,
      pattern: '^[0-9A-Fa-f-]{36}(,[0-9A-Fa-f-]{36}){0,99}$',
      description: 'Up to 100 event ids, comma-separated.',
      examples: ['0193a0c4-7a1e-7c3d-9f4e-2b6a8d0c1e5f,0193a0c4-7a1f-7a2b-8c3d-4e5f6a7b8c9d'],
    }),
  },
  { additionalProperties: false },
);
export type EventVerificationQuery = Static<typeof EventVerificationQuerySchema>;

export const EventVerificationSchema = named$(
  'EventVerification',
  Type.Object({
    checkpoint: Type.Union([Type.Object({ number: Type.Integer(), sealed_at: Type.String({ format: 'date-time' }) }), Type.Null()], {
      description: 'The newest checkpoint, against which the events were checked; null before the first seal.',
    }),
    events: Type.Array(
      Type.Object({
        id: Type.String({ format: 'uuid' }),
        status: StringEnum(['verified', 'unsealed', 'failed', 'not_found'] as const, {
          description:
            'verified: the stored event hashes to its sealed leaf and the leaf proves into the signed checkpoint; unsealed: not in a checkpoint yet; ' +
            'failed: the event or its proof does not match (tampering); not_found: no such event in your scope.',
        }),
      }),
    ),
  }),
);

/** RFC 7517 key set of the checkpoint signing keys (Ed25519, RFC 8037). */
export const JwksSchema = named$(
  'Jwks',
  Type.Object({
    keys: Type.Array(
      Type.Object({
        kty: Type.Literal('OKP'),
        crv: Type.Literal('Ed25519'),
        x: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description: 'The public key, base64url.' }),
        kid: Type.String({ description: 'RFC 7638 thumbprint; checkpoints name it in their JWS header.' }),
        alg: Type.Literal('EdDSA'),
        use: Type.Literal('sig'),
      }),
      { description: 'Current and retired keys.' },
    ),
  }),
);

const Jws = Type.String({ description: 'A checkpoint: compact JWS (see Checkpoint.jws).' });

export const EvidenceSchema = named$(
  'Evidence',
  Type.Object({
    format: Type.Literal('veritrail-evidence/2'),
    tenant: Type.String(),
    generated_at: Type.String({ format: 'date-time' }),
    scope: StringEnum(['trail', 'selection'] as const, {
      description:
        'trail (no filters, tenant-wide key): `ranges` hold every leaf of a stretch of the log, so the offline verifier proves nothing was removed, added or reordered in it. ' +
        'selection (filters, or a key limited to one organization): each event is proven to be in the trail; nothing is said about the events left out.',
    }),
    whole_trail: Type.Boolean({ description: 'The range reaches from the first leaf that may still be retained to the newest checkpoint: the whole trail as of it (checked offline).' }),
    jwks: JwksSchema,
    checkpoints: Type.Array(Jws, { description: 'The newest checkpoint last; older ones (since, and the retention horizon) each with a consistency proof to it.' }),
    consistency: Type.Array(Type.Object({ from: Type.Integer(), to: Type.Integer(), proof: Type.Array(Hash) })),
    ranges: Type.Array(
      Type.Object({
        checkpoint: Type.Integer(),
        start: Type.Integer({ description: 'First leaf index.' }),
        end: Type.Integer({ description: 'Exclusive.' }),
        left: Type.Array(Hash, { description: 'Complete subtrees covering leaves [0, start), largest first.' }),
        right: Type.Array(Hash, { description: 'Complete subtrees covering leaves [end, tree size), left to right.' }),
      }),
    ),
    withheld: Type.Array(
      Type.Object({ leaf_index: Type.Integer(), leaf_hash: Hash, reason: Type.Literal('expired') }),
      { description: 'Leaves of a range whose events retention removed: their hashes only. The verifier accepts them only if a signed checkpoint shows they were sealed before the retention horizon.' },
    ),
    events: Type.Array(
      Type.Object({
        event: Type.Object({}, { additionalProperties: true, description: 'The event exactly as sealed (classified personal data encrypted).' }),
        leaf_index: Type.Integer(),
        checkpoint: Type.Integer(),
        audit_path: Type.Array(Hash, { description: 'Inclusion proof (selection); empty for an event of a range.' }),
      }),
    ),
    note_keys: Type.Array(Type.String(), { description: 'The C2SP note verifier keys of this server (informational: pin /.well-known/veritrail/note-keys, never these).' }),
    notes: Type.Array(Type.String(), { description: 'The C2SP signed note (c2sp.org/tlog-checkpoint) of each checkpoint\'s tree head: same sizes and roots as `checkpoints`.' }),
    tlog_proofs: Type.Array(Type.String(), {
      description: 'Selection: one C2SP tlog-proof (c2sp.org/tlog-proof) per event — extra = base64 of the event id, its leaf index and audit path, then the note of the newest checkpoint. Leaf = SHA-256(0x00 ‖ the event as sealed). Empty for trail evidence (the range proves its events).',
    }),
    root_proofs: Type.Array(Type.String(), {
      description:
        'Each checkpoint of `checkpoints` that is in the newest final root checkpoint, as a C2SP tlog-proof in the deployment\'s root log: extra = base64 of the tenant checkpoint note ' +
        '(the leaf\'s data, leaf = SHA-256(0x00 ‖ note)), its index and audit path, then the root checkpoint note with its witnesses\' cosignatures.',
    }),
    root_timestamps: Type.Array(Type.Object({ tree_size: Type.Integer(), token: Type.String({ description: 'Base64 of the DER token.' }) }), {
      description: 'RFC 3161 time-stamp token (TSA_URL) over the text of the root checkpoint the root proofs lead to: that root, and every checkpoint in it, existed by the token\'s time.',
    }),
    unsealed: Type.Integer({ description: 'Events received but not sealed yet: not in this evidence.' }),
    next_from_index: Type.Union([Type.Integer(), Type.Null()], { description: 'Trail evidence cut by limit: ask again with from_index set to this.' }),
  }),
);
