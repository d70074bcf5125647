/**
 * The advisory lock keys of the service (PostgreSQL's session-level locks, one number each). They
 * are per database, so two deployments on two databases of one server never meet.
 */
export const ADVISORY_KEYS = {
  /** Held while migrations are applied: replicas starting together apply each migration once. */
  migrations: 7_316_001,
  /** Held around the first training on an empty database: one v1, the others load it. */
  firstTraining: 7_316_002,
  /** Held for a healing run: one healer in the fleet at a time. */
  healing: 7_316_003,
} as const;

/** The channel a registry change is announced on (NOTIFY), so every replica serves the new model at once. */
export const REGISTRY_CHANNEL = 'model_registry_changed';
