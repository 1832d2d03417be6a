-- Issue 13 (seed 000 第十二条): the review queue's clock is the owner's due date, and producer change / cancellation /
-- revocation applications and origin records imported already submitted are queue items too. Existing data follows:
-- pending owner items take the owner's deadline (the end of that China day); pending applications and submitted
-- origin records without an item get one, with its 'submit' event.

UPDATE review_item i
SET due_at = (a.due_date::text || ' 23:59:59+08')::timestamptz
FROM subject_application a
WHERE i.resource = 'subject' AND i.state = 'pending'
  AND a.subject_id::text = i.record_id AND a.kind = 'register' AND a.status = 'pending';

UPDATE review_item i
SET due_at = (r.review_due::text || ' 23:59:59+08')::timestamptz
FROM origin_record r
WHERE i.resource = 'origin_record' AND i.state = 'pending'
  AND r.id::text = i.record_id AND r.review_due IS NOT NULL;

INSERT INTO review_item
  (resource, resource_zh, resource_en, record_id, label, org_id, collector_id, division_code, submitted_at, due_at)
SELECT 'subject_' || a.kind,
       CASE a.kind WHEN 'change' THEN '主体变更申请' WHEN 'cancel' THEN '主体注销申请' ELSE '主体撤销申请' END,
       CASE a.kind
         WHEN 'change' THEN 'Producer change application'
         WHEN 'cancel' THEN 'Producer cancellation application'
         ELSE 'Producer revocation proposal'
       END,
       a.id::text,
       s.name,
       -- a revocation was entered by the proposing regulator's organisation, the others by the producer
       CASE WHEN a.kind = 'revoke' THEN (SELECT ac.org_id FROM account ac WHERE ac.id = a.submitted_by) ELSE s.org_id END,
       a.submitted_by,
       s.division_code,
       a.submitted_at,
       (a.due_date::text || ' 23:59:59+08')::timestamptz
FROM subject_application a
JOIN subject s ON s.id = a.subject_id
WHERE a.kind IN ('change', 'cancel', 'revoke') AND a.status = 'pending'
ON CONFLICT (resource, record_id) DO NOTHING;

INSERT INTO review_item
  (resource, resource_zh, resource_en, record_id, label, org_id, collector_id, division_code, submitted_at, due_at)
SELECT 'origin_record',
       '产地溯源记录',
       'Origin record',
       r.id::text,
       left(r.subject_name, 100),
       COALESCE(r.entered_by_org, (SELECT ac.org_id FROM account ac WHERE ac.id = r.created_by)),
       r.created_by,
       r.division_code,
       COALESCE(r.submitted_at, r.updated_at),
       COALESCE((r.review_due::text || ' 23:59:59+08')::timestamptz, now())
FROM origin_record r
WHERE r.status = 'submitted'
ON CONFLICT (resource, record_id) DO NOTHING;

INSERT INTO review_event (item_id, action, actor_id, at)
SELECT i.id, 'submit', i.collector_id, i.submitted_at
FROM review_item i
WHERE NOT EXISTS (SELECT 1 FROM review_event e WHERE e.item_id = i.id);
