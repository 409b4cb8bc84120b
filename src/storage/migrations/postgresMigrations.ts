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
];
