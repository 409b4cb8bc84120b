// PostgreSQL schema history. Append new versions; never edit an applied one. Each runs in its own transaction.
import type { Migration } from "./migration.js";

export const postgresMigrations: readonly Migration[] = [
  {
    version: 1,
    name: "orders",
    sql: `
      CREATE TABLE orders (
        po_number text PRIMARY KEY,
        kind text,
        fingerprint text,
        subject text,
        source text NOT NULL CHECK (source IN ('PLACEMENT', 'LOOKUP')),
        state text NOT NULL CHECK (state IN ('PENDING', 'PLACED', 'REJECTED')),
        request jsonb,
        order_id text UNIQUE,
        order_data jsonb,
        errors jsonb NOT NULL DEFAULT '[]'::jsonb,
        delivery_status text,
        delivery_status_at timestamptz,
        send_attempts integer NOT NULL DEFAULT 0,
        last_sent_at timestamptz,
        next_check_at timestamptz,
        lease_owner text,
        lease_until timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        placed_at timestamptz
      );
      CREATE INDEX orders_state_next_check_idx ON orders (state, next_check_at);
    `,
  },
  {
    version: 2,
    name: "order_attempts",
    sql: `
      CREATE TABLE order_attempts (
        id bigserial PRIMARY KEY,
        po_number text,
        operation text NOT NULL,
        phase text NOT NULL,
        body text,
        http_status integer,
        error_code text,
        duration_ms integer,
        at timestamptz NOT NULL
      );
      CREATE INDEX order_attempts_po_number_idx ON order_attempts (po_number, id);
    `,
  },
  {
    version: 3,
    name: "webhook_events",
    sql: `
      CREATE TABLE webhook_events (
        id text PRIMARY KEY,
        order_id text NOT NULL,
        po_number text NOT NULL,
        delivery_status text NOT NULL,
        order_date text,
        created_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL,
        applied_at timestamptz
      );
      CREATE INDEX webhook_events_order_id_idx ON webhook_events (order_id);
      CREATE INDEX webhook_events_po_number_idx ON webhook_events (po_number);
    `,
  },
  {
    version: 4,
    name: "plum_tokens",
    sql: `
      CREATE TABLE plum_tokens (
        id integer PRIMARY KEY CHECK (id = 1),
        access_token text NOT NULL,
        refresh_token text,
        access_token_expires_at timestamptz,
        refresh_token_expires_at timestamptz,
        updated_at timestamptz NOT NULL
      );
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
      ALTER TABLE orders
        ADD COLUMN version integer NOT NULL DEFAULT 0,
        ADD COLUMN sends jsonb NOT NULL DEFAULT '[]'::jsonb,
        ADD COLUMN existence jsonb,
        ADD COLUMN last_lookup_at timestamptz,
        ADD COLUMN alert text,
        ADD COLUMN reopenable boolean NOT NULL DEFAULT false;
      UPDATE orders SET state = 'REJECTED', reopenable = true, send_attempts = 1,
        sends = '[{"n":1,"answer":"empty","empty":"notSent"}]'::jsonb, lease_owner = NULL, lease_until = NULL
        WHERE state = 'PENDING' AND send_attempts = 0 AND next_check_at IS NULL AND lease_owner IS NULL
          AND errors->0->>'code' IN ('RATE_LIMITED', 'UPSTREAM_UNAVAILABLE');
      UPDATE orders SET sends = '[{"n":1,"answer":"unknown"}]'::jsonb, send_attempts = GREATEST(send_attempts, 1),
        last_sent_at = GREATEST(COALESCE(last_sent_at, created_at), updated_at)
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
        product_id integer PRIMARY KEY,
        kind text NOT NULL,
        role text NOT NULL CHECK (role IN ('product', 'operator')),
        parent_product_id integer,
        country_code text,
        name text NOT NULL,
        active boolean NOT NULL,
        data jsonb NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX catalogue_products_listing ON catalogue_products (kind, role, active, country_code);
      CREATE INDEX catalogue_products_parent ON catalogue_products (parent_product_id);
      CREATE TABLE catalogue_state (
        id integer PRIMARY KEY CHECK (id = 1),
        refreshed_at timestamptz,
        last_attempt_at timestamptz,
        last_failure_at timestamptz,
        lease_owner text,
        lease_until timestamptz,
        budget_day text,
        budget_calls integer NOT NULL DEFAULT 0,
        last_refresh_calls integer
      );
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
        id bigserial PRIMARY KEY,
        owner text NOT NULL,
        status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
        started_at timestamptz NOT NULL,
        finished_at timestamptz,
        window_from timestamptz,
        window_to timestamptz,
        pages integer NOT NULL DEFAULT 0,
        history_orders integer NOT NULL DEFAULT 0,
        adopted integer NOT NULL DEFAULT 0,
        discrepancies integer NOT NULL DEFAULT 0,
        error text
      );
      CREATE INDEX reconciliation_runs_started_idx ON reconciliation_runs (started_at);
      CREATE TABLE reconciliation_lock (
        id integer PRIMARY KEY CHECK (id = 1),
        owner text,
        lease_until timestamptz,
        next_run_at timestamptz
      );
      INSERT INTO reconciliation_lock (id) VALUES (1);
      CREATE TABLE reconciliation_discrepancies (
        id bigserial PRIMARY KEY,
        kind text NOT NULL,
        po_number text NOT NULL,
        order_id text NOT NULL,
        order_date timestamptz,
        ledger_state text,
        first_seen_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        first_run_id bigint NOT NULL,
        last_run_id bigint NOT NULL,
        resolved_at timestamptz,
        UNIQUE (kind, po_number, order_id)
      );
      CREATE INDEX reconciliation_discrepancies_open_idx ON reconciliation_discrepancies (resolved_at, kind);
    `,
  },
  {
    version: 8,
    name: "caller_po_numbers",
    // Each caller's poNumbers are their own: po_number stays the ledger key and is what Plum knows; the caller's
    // poNumber is unique per subject. Existing rows were sent to Plum under their caller's poNumber: both equal.
    // Rows without a subject (auth off) are unique by po_number alone (NULLs are distinct in the index).
    sql: `
      ALTER TABLE orders ADD COLUMN caller_po_number text;
      UPDATE orders SET caller_po_number = po_number;
      ALTER TABLE orders ALTER COLUMN caller_po_number SET NOT NULL;
      CREATE UNIQUE INDEX orders_subject_caller_po_number_idx ON orders (subject, caller_po_number);
    `,
  },
  {
    version: 9,
    name: "placement_queue_and_plum_budget",
    // The placement queue (rows waiting for the shared Plum budget, FIFO by queued_at) and the budget itself: a
    // sliding log of send times per Plum operation and the penalty Plum imposed, shared by every replica.
    sql: `
      ALTER TABLE orders ADD COLUMN queued_at timestamptz;
      CREATE INDEX orders_queue_idx ON orders (queued_at, po_number) WHERE queued_at IS NOT NULL;
      CREATE TABLE plum_budget_sends (
        id bigserial PRIMARY KEY,
        operation text NOT NULL,
        class text NOT NULL,
        sent_at timestamptz NOT NULL
      );
      CREATE INDEX plum_budget_sends_idx ON plum_budget_sends (operation, sent_at);
      CREATE TABLE plum_budget_penalties (
        operation text PRIMARY KEY,
        until timestamptz NOT NULL
      );
    `,
  },
  {
    version: 10,
    name: "operations_count_indexes",
    // See the SQLite migration 10: the operations counts read only the rows they count (the expression is the one
    // operationsSql.ts's awaitingDelivery builds for PostgreSQL).
    sql: `
      CREATE INDEX orders_alert_idx ON orders (alert) WHERE alert IS NOT NULL;
      CREATE INDEX orders_awaiting_delivery_idx ON orders (
        (lower(COALESCE(delivery_status, order_data->>'deliveryStatus', ''))),
        created_at
      ) WHERE state = 'PLACED';
    `,
  },
];
