-- Agencies (cơ quan, đơn vị) as a tree with electronic identifier codes per QĐ 20/2020/QĐ-TTg / QCVN 102:2016.
CREATE TABLE agency (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code            text NOT NULL UNIQUE,
  name            text NOT NULL,
  name_en         text,
  kind            text NOT NULL CHECK (kind IN ('people_committee', 'department', 'commune', 'service_center', 'branch', 'other')),
  parent_id       uuid REFERENCES agency(id),
  gso_code        text,
  effective_from  date,
  effective_to    date,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (effective_to IS NULL OR effective_from IS NULL OR effective_to >= effective_from)
);
CREATE INDEX agency_parent_idx ON agency (parent_id);
