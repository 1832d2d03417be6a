-- Risk-based sampling steers the double-random draws (issue 18 item 5).
-- A draw is either uniform (every producer in the pool equally likely) or risk-weighted: each producer weighted by
-- the shrunk failure rate of its product × region × season (risksampling). The weights are stored with the draw,
-- aligned with subject_pool, so the draw re-runs from its seed, pools and weights alone (randomchecks/draw.ts).
ALTER TABLE random_draw
  ADD COLUMN weighting text NOT NULL DEFAULT 'uniform' CHECK (weighting IN ('uniform', 'risk')),
  -- {season, historyFrom, historyTo, k, weights: number[], basis: [{product, region, samples, failed}]}; null if uniform
  ADD COLUMN risk jsonb,
  ADD CONSTRAINT random_draw_risk_chk CHECK ((weighting = 'risk') = (risk IS NOT NULL));
