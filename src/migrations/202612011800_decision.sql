-- Decision support and emergency command (issue 18): early-warning rules and warnings, incidents with dispatched
-- tasks, and the certification registry (三品一标 and designations) for coverage. The dashboard and risk-based
-- sampling only read other modules' tables. See docs/decision.md.

-- 预警规则 Warning rules are rows: a kind (the evaluator), its numeric parameters, the level responsible.
CREATE TABLE warning_rule (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code        text NOT NULL UNIQUE,
  kind        text NOT NULL,
  name_zh     text NOT NULL,
  name_en     text NOT NULL,
  level       text NOT NULL DEFAULT 'county',
  params      jsonb NOT NULL DEFAULT '{}',
  enabled     boolean NOT NULL DEFAULT true,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  uuid REFERENCES account (id)
);
INSERT INTO warning_rule (code, kind, name_zh, name_en, level, params) VALUES
  ('failure-rate-rise', 'failure_rate_rise', '产品抽检不合格率上升', 'Failure rate of a product rising in a region', 'county',
   '{"windowDays": 90, "minSamples": 5, "factor": 2, "minRate": 0.1}'),
  ('counterfeit-scans', 'counterfeit_scans', '扫码异常（疑似假冒）', 'Counterfeit scan signals', 'county', '{"days": 7}'),
  ('chain-anomaly', 'chain_anomaly', '追溯链异常未处理', 'Open chain anomalies', 'county', '{"days": 3}'),
  ('overdue-review', 'overdue_review', '注册审核超期', 'Registration reviews overdue', 'county', '{"graceDays": 0}'),
  ('overdue-rectification', 'overdue_rectification', '巡查整改超期', 'Rectifications overdue', 'township', '{"graceDays": 0}'),
  ('collection-drop', 'collection_drop', '采集量骤降', 'Sudden drop in collection', 'county',
   '{"weeks": 4, "dropPct": 0.6, "minWeekly": 10}');

-- 预警 One warning per rule and key (the finding: a region × product × month, a patrol, an application ...).
CREATE TABLE warning (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  rule_id         uuid NOT NULL REFERENCES warning_rule (id),
  key             text NOT NULL,
  division_code   text NOT NULL,
  title_zh        text NOT NULL,
  title_en        text NOT NULL,
  details         jsonb NOT NULL DEFAULT '{}',
  link            text,
  status          text NOT NULL DEFAULT 'open',
  detected_at     timestamptz NOT NULL DEFAULT now(),
  last_seen_at    timestamptz NOT NULL DEFAULT now(),
  acknowledged_at timestamptz,
  acknowledged_by uuid REFERENCES account (id),
  handled_at      timestamptz,
  handled_by      uuid REFERENCES account (id),
  outcome         text,
  UNIQUE (rule_id, key)
);
CREATE INDEX warning_division ON warning (division_code text_pattern_ops, detected_at DESC);

-- The trail of a warning: detection, acknowledgement, handling, each with who and a note.
CREATE TABLE warning_event (
  id          bigserial PRIMARY KEY,
  warning_id  uuid NOT NULL REFERENCES warning (id),
  action      text NOT NULL,
  note        text,
  actor_id    uuid REFERENCES account (id),
  actor_name  text,
  org_name    text,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX warning_event_warning ON warning_event (warning_id, at);

-- 应急事件 An incident: its source (a failed sample's batch), the batches and holders traced forward at opening.
CREATE TABLE incident (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number         text NOT NULL UNIQUE,
  title          text NOT NULL,
  kind           text NOT NULL,
  severity       smallint NOT NULL DEFAULT 3,
  source_type    text,
  source_id      text,
  batch_id       uuid REFERENCES batch (id),
  trace_code     text,
  product_name   text,
  division_code  text NOT NULL,
  description    text NOT NULL,
  affected       jsonb NOT NULL DEFAULT '[]',
  status         text NOT NULL DEFAULT 'open',
  summary        text,
  opened_by      uuid REFERENCES account (id),
  opened_at      timestamptz NOT NULL DEFAULT now(),
  closed_by      uuid REFERENCES account (id),
  closed_at      timestamptz
);
CREATE INDEX incident_division ON incident (division_code text_pattern_ops, opened_at DESC);

-- 调度任务 A task dispatched to an agency with a deadline (sampling, sealing, recall notice, ...).
CREATE TABLE incident_task (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id    uuid NOT NULL REFERENCES incident (id),
  kind           text NOT NULL,
  org_id         uuid NOT NULL REFERENCES organisation (id),
  division_code  text NOT NULL,
  target         text,
  instructions   text NOT NULL,
  deadline       date NOT NULL,
  status         text NOT NULL DEFAULT 'dispatched',
  result         text,
  dispatched_by  uuid REFERENCES account (id),
  dispatched_at  timestamptz NOT NULL DEFAULT now(),
  done_by        uuid REFERENCES account (id),
  done_at        timestamptz
);
CREATE INDEX incident_task_incident ON incident_task (incident_id);
CREATE INDEX incident_task_org ON incident_task (org_id, status);

-- 认证名录 The certification registry (imported): 三品一标 certificates (green, organic, GI, pollution-free) and
-- designations (leading enterprise 龙头企业, model cooperative 示范社), matched to producers by credit code.
CREATE TABLE cert_registry (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  dedup_key      text NOT NULL UNIQUE,
  kind           text NOT NULL,
  cert_no        text,
  holder_name    text NOT NULL,
  holder_code    text,
  product_name   text,
  division_code  text NOT NULL,
  valid_until    date,
  imported_at    timestamptz NOT NULL DEFAULT now(),
  imported_by    uuid REFERENCES account (id)
);
CREATE INDEX cert_registry_division ON cert_registry (division_code text_pattern_ops);
CREATE INDEX cert_registry_holder ON cert_registry (holder_code);
CREATE INDEX cert_registry_cert ON cert_registry (cert_no);
