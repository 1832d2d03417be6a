-- Supervision, monitoring and enforcement (监管 / 监测 / 执法) and the credit archive (诚信档案). Notifications use the
-- chain's `notification` table (202611221500_chain.sql, issue 5).
-- See docs/supervision.md. Producer batches/products are referenced by trace code text and an optional batch id
-- (batch_id set when the code resolves to a batch of this platform; no foreign key, as samples and cases may name
-- codes of other platforms).

-- 巡查检查表模板 Checklist templates (data, not code): items [{code, zh, en, critical}].
CREATE TABLE patrol_template (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code       text NOT NULL UNIQUE,
  name_zh    text NOT NULL,
  name_en    text NOT NULL,
  -- base 基地 · subject 主体 · input_dealer 农资经营店
  target     text NOT NULL CHECK (target IN ('base', 'subject', 'input_dealer')),
  items      jsonb NOT NULL,
  active     boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- 巡查计划 Patrol plans per organisation and period, with a target number of patrols.
CREATE TABLE patrol_plan (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id        uuid NOT NULL REFERENCES organisation (id),
  division_code text NOT NULL,
  year          integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  period        text NOT NULL CHECK (period IN ('year', 'quarter', 'month')),
  -- 0 for a year plan, 1–4 for a quarter, 1–12 for a month
  period_no     integer NOT NULL,
  target        integer NOT NULL CHECK (target > 0),
  title         text NOT NULL,
  created_by    uuid,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, year, period, period_no),
  CHECK ((period = 'year' AND period_no = 0) OR (period = 'quarter' AND period_no BETWEEN 1 AND 4) OR (period = 'month' AND period_no BETWEEN 1 AND 12))
);
CREATE INDEX patrol_plan_division_idx ON patrol_plan (division_code text_pattern_ops, year);

-- 双随机抽查 A seeded, reproducible draw. The pools are stored in the order they were drawn from, with the seed,
-- so anyone can re-run the draw (randomchecks/draw.ts) and obtain the same result.
CREATE TABLE random_draw (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id          uuid NOT NULL REFERENCES organisation (id),
  division_code   text NOT NULL,
  title           text NOT NULL,
  task_kind       text NOT NULL CHECK (task_kind IN ('patrol', 'sampling')),
  seed            text NOT NULL,
  algorithm       text NOT NULL,
  subject_filter  jsonb NOT NULL,
  subject_pool    uuid[] NOT NULL,
  inspector_pool  uuid[] NOT NULL,
  subject_count   integer NOT NULL CHECK (subject_count > 0),
  inspectors_per_subject integer NOT NULL CHECK (inspectors_per_subject > 0),
  -- [{subjectId, inspectorIds}]
  result          jsonb NOT NULL,
  created_by      uuid,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX random_draw_division_idx ON random_draw (division_code text_pattern_ops, created_at DESC);

-- Tasks a draw produced: one per drawn subject, assigned to the drawn inspectors.
CREATE TABLE random_check_task (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  draw_id       uuid NOT NULL REFERENCES random_draw (id),
  kind          text NOT NULL CHECK (kind IN ('patrol', 'sampling')),
  subject_id    uuid NOT NULL REFERENCES subject (id),
  division_code text NOT NULL,
  inspector_ids uuid[] NOT NULL,
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
  done_ref      uuid,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX random_check_task_draw_idx ON random_check_task (draw_id);

-- 巡查 A patrol of a subject (its base, or an input dealer), started by scanning the identity code on site.
CREATE TABLE patrol (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id          uuid NOT NULL REFERENCES organisation (id),
  -- Division of the patrolled subject: jurisdiction is checked against it.
  division_code   text NOT NULL,
  subject_id      uuid NOT NULL REFERENCES subject (id),
  target          text NOT NULL CHECK (target IN ('base', 'subject', 'input_dealer')),
  template_id     uuid NOT NULL REFERENCES patrol_template (id),
  plan_id         uuid REFERENCES patrol_plan (id),
  task_id         uuid REFERENCES random_check_task (id),
  inspector_id    uuid NOT NULL,
  inspector_name  text NOT NULL,
  -- in_progress → passed | failed | rectifying → (follow-up) closed | failed
  status          text NOT NULL DEFAULT 'in_progress' CHECK (status IN ('in_progress', 'passed', 'failed', 'rectifying', 'closed')),
  result          text CHECK (result IN ('pass', 'fail', 'rectify')),
  -- [{code, ok, note}]
  checklist       jsonb NOT NULL DEFAULT '[]',
  findings        text,
  photo_ids       uuid[] NOT NULL DEFAULT '{}',
  signature_file_id uuid REFERENCES stored_file (id),
  signer_name     text,
  longitude       double precision,
  latitude        double precision,
  accuracy_m      double precision,
  rectify_deadline date,
  started_at      timestamptz NOT NULL DEFAULT now(),
  submitted_at    timestamptz,
  follow_up_note  text,
  follow_up_photo_ids uuid[] NOT NULL DEFAULT '{}',
  closed_at       timestamptz,
  closed_by       uuid
);
CREATE INDEX patrol_division_idx ON patrol (division_code text_pattern_ops, started_at DESC);
CREATE INDEX patrol_subject_idx ON patrol (subject_id, started_at DESC);
CREATE INDEX patrol_org_idx ON patrol (org_id, started_at);

-- 监测任务 Monitoring tasks: kind and level, products and test items.
CREATE TABLE monitoring_task (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code          text NOT NULL UNIQUE,
  title         text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('routine', 'special', 'supervisory', 'retest', 'emergency')),
  level         text NOT NULL CHECK (level IN ('ministry', 'province', 'city', 'county')),
  org_id        uuid NOT NULL REFERENCES organisation (id),
  division_code text NOT NULL,
  products      text[] NOT NULL DEFAULT '{}',
  -- [{item, unit, limit, standard}]
  items         jsonb NOT NULL DEFAULT '[]',
  start_date    date NOT NULL,
  end_date      date NOT NULL,
  draw_id       uuid REFERENCES random_draw (id),
  status        text NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'closed')),
  created_by    uuid,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (end_date >= start_date)
);
CREATE INDEX monitoring_task_division_idx ON monitoring_task (division_code text_pattern_ops, created_at DESC);

-- 任务分配 Assignments of a task to testing organisations, with quantities and deadlines.
CREATE TABLE monitoring_assignment (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  task_id       uuid NOT NULL REFERENCES monitoring_task (id),
  testing_org_id uuid NOT NULL REFERENCES organisation (id),
  -- Area where the samples are taken.
  division_code text NOT NULL,
  quantity      integer NOT NULL CHECK (quantity > 0),
  deadline      date NOT NULL,
  UNIQUE (task_id, testing_org_id, division_code)
);
CREATE INDEX monitoring_assignment_org_idx ON monitoring_assignment (testing_org_id);

-- 抽样单 Sampling sheets.
CREATE TABLE sampling_sheet (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  assignment_id uuid NOT NULL REFERENCES monitoring_assignment (id),
  task_id       uuid NOT NULL REFERENCES monitoring_task (id),
  testing_org_id uuid NOT NULL REFERENCES organisation (id),
  sample_code   text NOT NULL UNIQUE,
  product_name  text NOT NULL,
  trace_code    text,
  batch_id      uuid,
  temp_code     text,
  subject_id    uuid REFERENCES subject (id),
  -- 临时主体 a not-yet-registered subject: {name, contact, phone, address}
  temp_subject  jsonb,
  place         text NOT NULL,
  division_code text NOT NULL,
  sampled_at    timestamptz NOT NULL,
  longitude     double precision,
  latitude      double precision,
  quantity      text,
  photo_ids     uuid[] NOT NULL DEFAULT '{}',
  sampler_id    uuid NOT NULL,
  sampler_name  text NOT NULL,
  -- sampled → tested (all results in): passed | failed
  status        text NOT NULL DEFAULT 'sampled' CHECK (status IN ('sampled', 'passed', 'failed')),
  tested_at     timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (subject_id IS NOT NULL OR temp_subject IS NOT NULL),
  CHECK (trace_code IS NOT NULL OR temp_code IS NOT NULL)
);
CREATE INDEX sampling_sheet_division_idx ON sampling_sheet (division_code text_pattern_ops, sampled_at DESC);
CREATE INDEX sampling_sheet_assignment_idx ON sampling_sheet (assignment_id);
CREATE INDEX sampling_sheet_subject_idx ON sampling_sheet (subject_id);

-- 检测结果 Results per test item.
CREATE TABLE test_result (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  sheet_id    uuid NOT NULL REFERENCES sampling_sheet (id),
  item        text NOT NULL,
  value       numeric,
  -- 'ND' not detected etc. when no number applies
  value_text  text,
  unit        text NOT NULL,
  limit_value numeric,
  standard    text NOT NULL,
  passed      boolean NOT NULL,
  entered_by  uuid NOT NULL,
  entered_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (sheet_id, item)
);

-- 风险处置 A failed result opens a risk case: the batch, the producer's county, the proposed recall and the credit
-- entry, plus the trace (backward/forward lineage) when the chain module provides it.
CREATE TABLE risk_case (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  sheet_id        uuid NOT NULL UNIQUE REFERENCES sampling_sheet (id),
  subject_id      uuid REFERENCES subject (id),
  subject_name    text NOT NULL,
  trace_code      text,
  batch_id        uuid,
  product_name    text NOT NULL,
  -- county (6-digit) of the producer: whose job the recall is
  county_code     text NOT NULL,
  division_code   text NOT NULL,
  failed_items    jsonb NOT NULL,
  -- {status:'available'|'unavailable', backward, forward, note}
  trace           jsonb NOT NULL,
  -- {reasonZh, reasonEn, scope, batchCode}
  proposed_recall jsonb NOT NULL,
  recall_id       uuid,
  status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'recall_opened', 'closed')),
  credit_record_id uuid,
  created_at      timestamptz NOT NULL DEFAULT now(),
  recall_opened_at timestamptz,
  recall_opened_by uuid
);
CREATE INDEX risk_case_division_idx ON risk_case (division_code text_pattern_ops, created_at DESC);

-- 行政处罚案件 Administrative penalty cases (and on-site inspections that lead to them).
CREATE TABLE enforcement_case (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_no         text NOT NULL UNIQUE,
  org_id          uuid NOT NULL REFERENCES organisation (id),
  division_code   text NOT NULL,
  subject_id      uuid REFERENCES subject (id),
  party_name      text NOT NULL,
  product_name    text,
  trace_code      text,
  batch_id        uuid,
  facts           text NOT NULL,
  -- seed 001 art. 17 (1)–(4), plus other
  violation_type  text NOT NULL CHECK (violation_type IN ('false_info', 'chain_broken', 'identity_misuse', 'batch_mixing', 'other')),
  source_type     text CHECK (source_type IN ('patrol', 'risk_case', 'inspection', 'complaint', 'other')),
  source_id       uuid,
  decision        text,
  fine_yuan       numeric(14, 2),
  attachment_ids  uuid[] NOT NULL DEFAULT '{}',
  -- registered 立案 → investigating 调查 → decided 决定 → closed 结案; or dismissed 不予处罚/撤案
  status          text NOT NULL DEFAULT 'registered' CHECK (status IN ('registered', 'investigating', 'decided', 'closed', 'dismissed')),
  credit_record_id uuid,
  created_by      uuid,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  decided_at      timestamptz,
  closed_at       timestamptz
);
CREATE INDEX enforcement_case_division_idx ON enforcement_case (division_code text_pattern_ops, created_at DESC);
CREATE INDEX enforcement_case_subject_idx ON enforcement_case (subject_id);

-- 诚信档案 Credit rules (data): what a bad record of a kind and severity costs.
CREATE TABLE credit_rule (
  code        text PRIMARY KEY,
  source      text NOT NULL CHECK (source IN ('patrol', 'test', 'penalty')),
  severity    text NOT NULL CHECK (severity IN ('minor', 'serious')),
  points      integer NOT NULL CHECK (points > 0),
  name_zh     text NOT NULL,
  name_en     text NOT NULL,
  UNIQUE (source, severity)
);
-- Grades by points deducted within the window (data): the first band whose max_points ≥ deducted applies.
CREATE TABLE credit_grade (
  grade       text PRIMARY KEY,
  max_points  integer NOT NULL UNIQUE,
  name_zh     text NOT NULL,
  name_en     text NOT NULL
);
-- Other parameters (window, repeat-offender threshold) live in platform_setting 'credit.policy'.
INSERT INTO credit_rule (code, source, severity, points, name_zh, name_en) VALUES
  ('patrol_rectify', 'patrol', 'minor', 2, '巡查责令整改', 'Patrol: ordered to rectify'),
  ('patrol_fail', 'patrol', 'serious', 5, '巡查不合格', 'Patrol: failed'),
  ('test_fail', 'test', 'serious', 10, '抽检不合格', 'Sampling test failed'),
  ('test_minor', 'test', 'minor', 5, '抽检轻微超标', 'Sampling test: minor exceedance'),
  ('penalty', 'penalty', 'serious', 15, '行政处罚', 'Administrative penalty'),
  ('penalty_minor', 'penalty', 'minor', 8, '责令改正（未处罚）', 'Ordered to correct (no penalty)');
INSERT INTO credit_grade (grade, max_points, name_zh, name_en) VALUES
  ('A', 0, '守信', 'Trustworthy'),
  ('B', 9, '基本守信', 'Mostly trustworthy'),
  ('C', 24, '失信', 'Untrustworthy'),
  ('D', 1000000, '严重失信', 'Seriously untrustworthy');
INSERT INTO platform_setting (key, value) VALUES
  ('credit.policy', '{"windowMonths": 24, "repeatThreshold": 3}')
ON CONFLICT (key) DO NOTHING;

CREATE TABLE credit_record (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_id    uuid NOT NULL REFERENCES subject (id),
  division_code text NOT NULL,
  source        text NOT NULL CHECK (source IN ('patrol', 'test', 'penalty')),
  source_id     uuid NOT NULL,
  rule_code     text NOT NULL REFERENCES credit_rule (code),
  points        integer NOT NULL,
  title_zh      text NOT NULL,
  title_en      text NOT NULL,
  occurred_at   timestamptz NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  -- A record is withdrawn (not deleted) when its source is overturned.
  withdrawn_at  timestamptz,
  UNIQUE (source, source_id)
);
CREATE INDEX credit_record_subject_idx ON credit_record (subject_id, occurred_at DESC);
CREATE INDEX credit_record_division_idx ON credit_record (division_code text_pattern_ops);

-- Default checklist templates (more can be added as rows).
INSERT INTO patrol_template (code, name_zh, name_en, target, items) VALUES
  ('base-general', '生产基地日常巡查', 'Production base routine patrol', 'base', '[
    {"code": "records", "zh": "生产记录（农事、投入品使用）完整", "en": "Production records (operations, inputs) complete", "critical": true},
    {"code": "interval", "zh": "执行农药安全间隔期/兽药休药期", "en": "Pesticide safety interval / withdrawal period observed", "critical": true},
    {"code": "banned", "zh": "未发现禁限用农药兽药", "en": "No banned or restricted pesticides or veterinary drugs found", "critical": true},
    {"code": "certificate", "zh": "上市产品开具承诺达标合格证", "en": "Commitment certificates issued for products on sale", "critical": false},
    {"code": "tracecode", "zh": "按批次赋追溯码，线上信息与实物一致", "en": "Trace codes per batch; online data match the goods", "critical": false},
    {"code": "storage", "zh": "投入品存放规范", "en": "Inputs stored properly", "critical": false}
  ]'),
  ('subject-general', '生产经营主体追溯巡查', 'Producer traceability patrol', 'subject', '[
    {"code": "identity", "zh": "主体身份码有效且信息真实", "en": "Identity code valid and information true", "critical": true},
    {"code": "info", "zh": "按规定采集并上传追溯信息", "en": "Traceability information collected and uploaded", "critical": true},
    {"code": "transfer", "zh": "销售时传递追溯信息（扫码交易）", "en": "Trace information passed on when selling", "critical": false},
    {"code": "batch", "zh": "无混批，批次与实物一致", "en": "No mixed batches; batches match the goods", "critical": true},
    {"code": "certificate", "zh": "承诺达标合格证开具规范", "en": "Commitment certificates issued properly", "critical": false}
  ]'),
  ('dealer-general', '农资经营店巡查', 'Input dealer patrol', 'input_dealer', '[
    {"code": "licence", "zh": "农药经营许可证有效", "en": "Pesticide dealing licence valid", "critical": true},
    {"code": "ledger", "zh": "进销货台账完整", "en": "Purchase and sales ledger complete", "critical": true},
    {"code": "banned", "zh": "无禁用农药兽药", "en": "No banned pesticides or veterinary drugs", "critical": true},
    {"code": "labels", "zh": "标签合规", "en": "Labels compliant", "critical": false}
  ]');
