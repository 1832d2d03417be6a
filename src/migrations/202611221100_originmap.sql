-- Origin digital map of the 12 key products (重点农产品产地溯源信息采集系统, seed 004). See docs/originmap.md.

-- 重点品种 The 12 key products with their default scale thresholds (seed 004 三、采集范围). Reference data.
CREATE TABLE origin_product (
  code              text PRIMARY KEY,
  name              text NOT NULL,
  name_en           text NOT NULL,
  -- 所属行业: planting 种植业 · livestock 畜牧业 · fishery 渔业
  industry          text NOT NULL CHECK (industry IN ('planting', 'livestock', 'fishery')),
  -- 规模单位: mu 亩 · head 头 · bird 只
  unit              text NOT NULL CHECK (unit IN ('mu', 'head', 'bird')),
  threshold         numeric NOT NULL CHECK (threshold >= 0),
  -- Aquatic factory tanks (工程化养殖, production method 'facility'): 0.3 mu (200 m²).
  facility_threshold numeric,
  -- Re-collection interval in days: a planting cycle for crops, a month for livestock and aquatic products.
  cycle_days        integer NOT NULL CHECK (cycle_days > 0),
  -- Above this the scale is implausible for one base/plot (patrol flag, not a refusal).
  max_plausible     numeric NOT NULL,
  sort              smallint NOT NULL
);
INSERT INTO origin_product (code, name, name_en, industry, unit, threshold, facility_threshold, cycle_days, max_plausible, sort) VALUES
  ('cowpea',       '豇豆',     'Cowpea',                 'planting',  'mu',   0.5,  NULL, 120,  5000,   1),
  ('leek',         '韭菜',     'Chinese leek',           'planting',  'mu',   0.5,  NULL, 120,  5000,   2),
  ('celery',       '芹菜',     'Celery',                 'planting',  'mu',   0.5,  NULL, 120,  5000,   3),
  ('egg',          '鸡蛋',     'Eggs (laying hens)',     'livestock', 'bird', 500,  NULL, 31,   2000000, 4),
  ('black_chicken','乌鸡',     'Black-bone chicken',     'livestock', 'bird', 1000, NULL, 31,   1000000, 5),
  ('beef_cattle',  '肉牛',     'Beef cattle',            'livestock', 'head', 5,    NULL, 31,   50000,  6),
  ('mutton_sheep', '肉羊',     'Mutton sheep',           'livestock', 'head', 50,   NULL, 31,   100000, 7),
  ('pig',          '生猪',     'Live pigs',              'livestock', 'head', 30,   NULL, 31,   200000, 8),
  ('bass',         '大口黑鲈', 'Largemouth bass',        'fishery',   'mu',   10,   0.3,  31,   20000,  9),
  ('snakehead',    '乌鳢',     'Snakehead',              'fishery',   'mu',   10,   0.3,  31,   20000,  10),
  ('bream',        '鳊鱼',     'Bream',                  'fishery',   'mu',   10,   0.3,  31,   20000,  11),
  ('croaker',      '大黄鱼',   'Large yellow croaker',   'fishery',   'mu',   10,   0.3,  31,   20000,  12);

-- Local standards (各地根据实际可制定本地区、本行业执行标准): an override at any division level; the most specific
-- one on the record's division path wins.
CREATE TABLE origin_threshold (
  division_code      text NOT NULL REFERENCES division (code),
  product_code       text NOT NULL REFERENCES origin_product (code),
  threshold          numeric NOT NULL CHECK (threshold >= 0),
  facility_threshold numeric CHECK (facility_threshold >= 0),
  cycle_days         integer CHECK (cycle_days > 0),
  updated_by         uuid,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (division_code, product_code)
);

-- 产地溯源信息 One record per base or plot (基地/地块).
CREATE TABLE origin_record (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Import key (docs/originmap.md "Import key"): re-importing a row with the same key updates the record.
  record_key         text NOT NULL UNIQUE,
  division_code      text NOT NULL REFERENCES division (code),
  county_code        text NOT NULL,
  subject_name       text NOT NULL,
  -- 主体类型: enterprise 农产品生产企业 · cooperative 农民专业合作社 · family_farm 家庭农场 · farmer 农户 · broker 农村经纪人
  subject_type       text NOT NULL CHECK (subject_type IN ('enterprise', 'cooperative', 'family_farm', 'farmer', 'broker')),
  credit_code        text,
  -- Registered producer (生产经营主体) when one matches; no foreign key so the map works before producers land.
  subject_id         uuid,
  product_code       text NOT NULL REFERENCES origin_product (code),
  alias              text,
  -- 产品认证类型: none 无 · green 绿色食品 · organic 有机农产品 · gi 农产品地理标志 · gap 良好农业规范 · other 其他
  certification      text NOT NULL DEFAULT 'none' CHECK (certification IN ('none', 'green', 'organic', 'gi', 'gap', 'other')),
  base_address       text NOT NULL,
  longitude          double precision CHECK (longitude BETWEEN 73 AND 136),
  latitude           double precision CHECK (latitude BETWEEN 3 AND 54),
  geo_check          text CHECK (geo_check IN ('inside', 'near', 'far')),
  geo_source         text NOT NULL DEFAULT 'form' CHECK (geo_source IN ('import', 'map', 'gps', 'form')),
  gps_accuracy_m     double precision,
  contact_name       text NOT NULL,
  contact_phone      text NOT NULL,
  scale              numeric NOT NULL CHECK (scale >= 0),
  market_start       date,
  market_end         date,
  -- 生产方式: open_field 露地 · facility 设施 (for aquatic products: factory tanks 工程化养殖)
  production_method  text NOT NULL CHECK (production_method IN ('open_field', 'facility')),
  -- 追溯方式 (several): certificate 承诺达标合格证 · trace_code 追溯码 · ear_tag 耳标 · quarantine 动物检疫合格证 · package_label 包装标识 · other 其他
  trace_methods      text[] NOT NULL DEFAULT '{}',
  -- 信用等级: A · B · C · D · none 未评级
  credit_rating      text NOT NULL DEFAULT 'none' CHECK (credit_rating IN ('A', 'B', 'C', 'D', 'none')),
  grid_worker_name   text,
  grid_worker_phone  text,
  collector_name     text,
  collector_phone    text,
  status             text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'approved', 'returned')),
  review_comment     text,
  reviewed_by        uuid,
  reviewed_at        timestamptz,
  -- Set at the first approval and kept: records stay on the map while an update awaits review.
  approved_at        timestamptz,
  collected_at       timestamptz NOT NULL DEFAULT now(),
  created_by         uuid,
  updated_by         uuid,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CHECK ((longitude IS NULL) = (latitude IS NULL))
);
CREATE INDEX origin_record_division_idx ON origin_record (division_code text_pattern_ops);
CREATE INDEX origin_record_status_idx ON origin_record (status, division_code text_pattern_ops);
CREATE INDEX origin_record_product_idx ON origin_record (product_code, division_code text_pattern_ops);
CREATE INDEX origin_record_lnglat_idx ON origin_record (longitude, latitude) WHERE approved_at IS NOT NULL;
CREATE INDEX origin_record_creator_idx ON origin_record (created_by);

-- "一张图" grid rollup: approved (on-map) records counted per grid cell at levels 3..10 (cell = 45 / 2^level
-- degrees), product and county. Rebuilt per county after every write that changes the map (`refreshCells`).
CREATE TABLE origin_cell (
  level        smallint NOT NULL,
  cx           integer NOT NULL,
  cy           integer NOT NULL,
  product_code text NOT NULL,
  county_code  text NOT NULL,
  n            integer NOT NULL,
  sum_lng      double precision NOT NULL,
  sum_lat      double precision NOT NULL,
  sum_scale    double precision NOT NULL,
  PRIMARY KEY (level, cx, cy, product_code, county_code)
);
CREATE INDEX origin_cell_county_idx ON origin_cell (county_code);

-- Uploaded spreadsheets and their outcome (the error workbook is kept for download).
CREATE TABLE origin_import (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  file_name     text NOT NULL,
  content       bytea NOT NULL,
  job_id        uuid,
  division_code text NOT NULL,
  created_by    uuid NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  status        text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'done', 'failed')),
  total_rows    integer,
  created_rows  integer,
  updated_rows  integer,
  unchanged_rows integer,
  error_rows    integer,
  errors        jsonb,
  error_file    bytea
);

-- Patrol flags (巡查标记): stale, incomplete or suspicious records, tracked to resolution.
CREATE TABLE origin_flag (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  record_id     uuid NOT NULL REFERENCES origin_record (id) ON DELETE CASCADE,
  kind          text NOT NULL CHECK (kind IN ('stale', 'incomplete', 'far', 'scale', 'duplicate')),
  detail        text NOT NULL,
  division_code text NOT NULL,
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  resolved_at   timestamptz,
  resolved_by   uuid,
  resolution    text
);
CREATE UNIQUE INDEX origin_flag_open_idx ON origin_flag (record_id, kind) WHERE status = 'open';
CREATE INDEX origin_flag_division_idx ON origin_flag (status, division_code text_pattern_ops);

-- Notifications (系统提示) to the collector (an account) and to the county (a division, read by its supervisors).
CREATE TABLE origin_notification (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id           uuid,
  division_code        text,
  title                text NOT NULL,
  body                 text NOT NULL,
  flag_count           integer NOT NULL DEFAULT 0,
  created_at           timestamptz NOT NULL DEFAULT now(),
  read_at              timestamptz,
  CHECK (account_id IS NOT NULL OR division_code IS NOT NULL)
);
CREATE INDEX origin_notification_account_idx ON origin_notification (account_id, created_at);
CREATE INDEX origin_notification_division_idx ON origin_notification (division_code, created_at);
