// Advisory lock keys. The database is dedicated to this subgraph, so fixed keys cannot collide with other users.

/** Session lock held while migrating, so replicas starting together apply each migration once. */
export const MIGRATION_LOCK_KEY = 72_700_001;
/** Transaction lock held while refreshing Plum tokens: refreshing rotates the refresh token, so only one replica may. */
export const TOKEN_LOCK_KEY = 72_700_002;
/**
 * Class of the two-key transaction locks taken per orderId (second key: hashtext(orderId)) by every writer that
 * links an orderId to an order or stores an event for it, so an event and its order can never miss each other.
 */
export const ORDER_EVENTS_LOCK_CLASS = 727;
/** Class of the two-key transaction locks per Plum operation (second key: hashtext(operation)): one budget taker at a time. */
export const PLUM_BUDGET_LOCK_CLASS = 728;
