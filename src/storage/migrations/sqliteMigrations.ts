// SQLite schema history. Append new versions; never edit an applied one. Instants are integer epoch ms,
// JSON is TEXT. STRICT tables reject values of the wrong type instead of silently storing them.
import type { Migration } from "./migration.js";

export const sqliteMigrations: readonly Migration[] = [
  {
    version: 1,
    name: "orders",
    sql: `
      CREATE TABLE orders (
        po_number TEXT PRIMARY KEY,
        kind TEXT,
        fingerprint TEXT,
        subject TEXT,
        source TEXT NOT NULL CHECK (source IN ('PLACEMENT', 'LOOKUP')),
        state TEXT NOT NULL CHECK (state IN ('PENDING', 'PLACED', 'REJECTED')),
        request TEXT,
        order_id TEXT UNIQUE,
        order_data TEXT,
        errors TEXT NOT NULL DEFAULT '[]',
        delivery_status TEXT,
        delivery_status_at INTEGER,
        send_attempts INTEGER NOT NULL DEFAULT 0,
        last_sent_at INTEGER,
        next_check_at INTEGER,
        lease_owner TEXT,
        lease_until INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        placed_at INTEGER
      ) STRICT;
      CREATE INDEX orders_state_next_check_idx ON orders (state, next_check_at);
    `,
  },
  {
    version: 2,
    name: "order_attempts",
    sql: `
      CREATE TABLE order_attempts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        po_number TEXT,
        operation TEXT NOT NULL,
        phase TEXT NOT NULL,
        body TEXT,
        http_status INTEGER,
        error_code TEXT,
        duration_ms INTEGER,
        at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX order_attempts_po_number_idx ON order_attempts (po_number, id);
    `,
  },
  {
    version: 3,
    name: "webhook_events",
    sql: `
      CREATE TABLE webhook_events (
        id TEXT PRIMARY KEY,
        order_id TEXT NOT NULL,
        po_number TEXT NOT NULL,
        delivery_status TEXT NOT NULL,
        order_date TEXT,
        created_at INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        applied_at INTEGER
      ) STRICT;
      CREATE INDEX webhook_events_order_id_idx ON webhook_events (order_id);
      CREATE INDEX webhook_events_po_number_idx ON webhook_events (po_number);
    `,
  },
  {
    version: 4,
    name: "plum_tokens",
    sql: `
      CREATE TABLE plum_tokens (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        access_token TEXT NOT NULL,
        refresh_token TEXT,
        access_token_expires_at INTEGER,
        refresh_token_expires_at INTEGER,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 5,
    name: "placement_evidence",
    // Rows the previous engine left waiting for their caller's retry (nothing reached Plum: no attempt counted, a
    // not-sent failure, no check scheduled, no lease: a retry in flight holds one) are the retryable rejections
    // those callers were told: reopenable.
    // Every other pending row gets one unknown attempt that started no earlier than its last write, so nothing is
    // re-sent until a look-up after Plum's processing window proves it absent. Stop every replica of the previous
    // version before this migration runs: it does not know these columns.
    sql: `
      ALTER TABLE orders ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE orders ADD COLUMN sends TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE orders ADD COLUMN existence TEXT;
      ALTER TABLE orders ADD COLUMN last_lookup_at INTEGER;
      ALTER TABLE orders ADD COLUMN alert TEXT;
      ALTER TABLE orders ADD COLUMN reopenable INTEGER NOT NULL DEFAULT 0 CHECK (reopenable IN (0, 1));
      UPDATE orders SET state = 'REJECTED', reopenable = 1, send_attempts = 1,
        sends = '[{"n":1,"answer":"empty","empty":"notSent"}]', lease_owner = NULL, lease_until = NULL
        WHERE state = 'PENDING' AND send_attempts = 0 AND next_check_at IS NULL AND lease_owner IS NULL
          AND json_extract(errors, '$[0].code') IN ('RATE_LIMITED', 'UPSTREAM_UNAVAILABLE');
      UPDATE orders SET sends = '[{"n":1,"answer":"unknown"}]', send_attempts = max(send_attempts, 1),
        last_sent_at = max(COALESCE(last_sent_at, created_at), updated_at)
        WHERE state = 'PENDING';
    `,
  },
  {
    version: 6,
    name: "catalogue_snapshot",
    // The cached Plum catalogue (one row per product or operator, the parsed entry as JSON) and the single row that
    // says when it was refreshed, who holds the refresh lease (single flight across replicas) and how many getVouchers
    // calls the day has used (Plum allows 500 a day).
    sql: `
      CREATE TABLE catalogue_products (
        product_id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('product', 'operator')),
        parent_product_id INTEGER,
        country_code TEXT,
        name TEXT NOT NULL,
        active INTEGER NOT NULL CHECK (active IN (0, 1)),
        data TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX catalogue_products_listing ON catalogue_products (kind, role, active, country_code);
      CREATE INDEX catalogue_products_parent ON catalogue_products (parent_product_id);
      CREATE TABLE catalogue_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        refreshed_at INTEGER,
        last_attempt_at INTEGER,
        last_failure_at INTEGER,
        lease_owner TEXT,
        lease_until INTEGER,
        budget_day TEXT,
        budget_calls INTEGER NOT NULL DEFAULT 0,
        last_refresh_calls INTEGER
      ) STRICT;
      INSERT INTO catalogue_state (id) VALUES (1);
    `,
  },
  {
    version: 7,
    name: "order_history_and_reconciliation",
    // Keyset pagination of placed orders, newest first (created_at, po_number), for everyone (admins) and per
    // subject; the reconciliation runs, their single-flight lock (one row) and the discrepancies found.
    sql: `
      CREATE INDEX orders_placed_list_idx ON orders (created_at DESC, po_number DESC) WHERE state = 'PLACED';
      CREATE INDEX orders_subject_list_idx ON orders (subject, created_at DESC, po_number DESC) WHERE state = 'PLACED';
      CREATE INDEX orders_placed_at_idx ON orders (placed_at) WHERE state = 'PLACED';
      CREATE TABLE reconciliation_runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        owner TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        window_from INTEGER,
        window_to INTEGER,
        pages INTEGER NOT NULL DEFAULT 0,
        history_orders INTEGER NOT NULL DEFAULT 0,
        adopted INTEGER NOT NULL DEFAULT 0,
        discrepancies INTEGER NOT NULL DEFAULT 0,
        error TEXT
      ) STRICT;
      CREATE INDEX reconciliation_runs_started_idx ON reconciliation_runs (started_at);
      CREATE TABLE reconciliation_lock (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        owner TEXT,
        lease_until INTEGER,
        next_run_at INTEGER
      ) STRICT;
      INSERT INTO reconciliation_lock (id) VALUES (1);
      CREATE TABLE reconciliation_discrepancies (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        po_number TEXT NOT NULL,
        order_id TEXT NOT NULL,
        order_date INTEGER,
        ledger_state TEXT,
        first_seen_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        first_run_id INTEGER NOT NULL,
        last_run_id INTEGER NOT NULL,
        resolved_at INTEGER,
        UNIQUE (kind, po_number, order_id)
      ) STRICT;
      CREATE INDEX reconciliation_discrepancies_open_idx ON reconciliation_discrepancies (resolved_at, kind);
    `,
  },
  {
    version: 8,
    name: "caller_po_numbers",
    // See the PostgreSQL migration 8. SQLite cannot add a NOT NULL column without a default: every insert sets it.
    sql: `
      ALTER TABLE orders ADD COLUMN caller_po_number TEXT;
      UPDATE orders SET caller_po_number = po_number;
      CREATE UNIQUE INDEX orders_subject_caller_po_number_idx ON orders (subject, caller_po_number);
    `,
  },
  {
    version: 9,
    name: "placement_queue",
    // The placement queue; the Plum budget of the embedded engine lives in the process (one process serves it).
    sql: `
      ALTER TABLE orders ADD COLUMN queued_at INTEGER;
      CREATE INDEX orders_queue_idx ON orders (queued_at, po_number) WHERE queued_at IS NOT NULL;
    `,
  },
  {
    version: 10,
    name: "operations_count_indexes",
    // The operations counts (every /metrics scrape, at most once per 10 s) walked every order: the alert count the
    // whole table, the awaiting-delivery count every PLACED row with its order JSON. node:sqlite is synchronous, so
    // at 100,000 orders that was over 100 ms with the event loop blocked. The expression must stay the one
    // operationsSql.ts's awaitingDelivery builds (SQLite uses an expression index only for an identical expression).
    sql: `
      CREATE INDEX orders_alert_idx ON orders (alert) WHERE alert IS NOT NULL;
      CREATE INDEX orders_awaiting_delivery_idx ON orders (
        lower(COALESCE(delivery_status, json_extract(order_data, '$.deliveryStatus'), '')),
        created_at,
        COALESCE(placed_at, created_at)
      ) WHERE state = 'PLACED';
    `,
  },
];
