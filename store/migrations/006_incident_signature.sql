-- Incident memory (docs/incident-memory.md): a normalized signature of each diagnosed incident
-- (root cause and the evidence of its first findings, with times, UUIDs, IPs, pod-name hashes,
-- hex ids and numbers folded), compared with pg_trgm similarity through a trigram index.
-- pg_trgm is a trusted extension (PostgreSQL >= 13: the database owner may create it); PGlite
-- loads it at start (store/pglite.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Chinese characters become ASCII tokens, one per character bigram (a lone character is a
-- token of its own), so trigrams do not depend on the database's LC_CTYPE: a C-locale
-- database (hack/postgres.sh, many managed services) treats non-ASCII letters as separators.
CREATE FUNCTION aisre_signature(raw text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  t text := lower(left(coalesce(raw, ''), 4000));
  folded text := '';
  ch text;
  cp integer;
  prev integer := 0;
  run integer := 0;
BEGIN
  -- ARE syntax: \m and \M are word boundaries (\b is a backspace).
  t := regexp_replace(t, '\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}(:\d{2})?(\.\d+)?(z|[+-]\d{2}:?\d{2})?', ' ts ', 'g');
  t := regexp_replace(t, '\m\d{1,2}:\d{2}:\d{2}(\.\d+)?\M', ' ts ', 'g');
  t := regexp_replace(t, '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', ' uuid ', 'g');
  t := regexp_replace(t, '\m\d{1,3}(\.\d{1,3}){3}(:\d+)?\M', ' ip ', 'g');
  t := regexp_replace(t, '\m[0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,7}\M', ' ip ', 'g');
  -- Kubernetes' random suffixes (ReplicaSet hash, pod suffix) use this alphabet only.
  t := regexp_replace(t, '-[bcdfghjklmnpqrstvwxz2456789]{5,10}(-[bcdfghjklmnpqrstvwxz2456789]{5})?\M', '', 'g');
  t := regexp_replace(t, '\m(0x)?[0-9a-f]{8,}\M', ' hex ', 'g');
  t := regexp_replace(t, '\d+', '#', 'g');
  -- The character loop is slow (PL/pgSQL, and more so in PGlite's WASM): only text with CJK runs it.
  IF t !~ '[㐀-鿿豈-﫿　-〿＀-￯]' THEN
    RETURN nullif(left(btrim(regexp_replace(t, '\s+', ' ', 'g')), 2000), '');
  END IF;
  FOR i IN 1..length(t) LOOP
    ch := substr(t, i, 1);
    cp := ascii(ch);
    IF cp BETWEEN 13312 AND 40959 OR cp BETWEEN 63744 AND 64255 THEN
      IF prev > 0 THEN
        folded := folded || ' z' || to_hex(prev) || to_hex(cp) || ' ';
      END IF;
      prev := cp;
      run := run + 1;
    ELSE
      IF run = 1 THEN
        folded := folded || ' z' || to_hex(prev) || ' ';
      END IF;
      prev := 0;
      run := 0;
      -- CJK and full-width punctuation separate words.
      folded := folded || CASE WHEN cp BETWEEN 12288 AND 12351 OR cp BETWEEN 65280 AND 65519 THEN ' ' ELSE ch END;
    END IF;
  END LOOP;
  IF run = 1 THEN
    folded := folded || ' z' || to_hex(prev);
  END IF;
  RETURN nullif(left(btrim(regexp_replace(folded, '\s+', ' ', 'g')), 2000), '');
END
$$;

ALTER TABLE incidents ADD COLUMN signature text;
CREATE INDEX incidents_signature_trgm ON incidents USING gin (signature gin_trgm_ops);
CREATE INDEX incidents_diagnosis_uid ON incidents (diagnosis_uid) WHERE diagnosis_uid IS NOT NULL;

-- The signature is filled when an incident's diagnosis is written (markDiagnosed sets the root
-- cause and diagnosis_uid after recordDiagnosis stored the run's findings): root cause, then
-- each of the first three findings' message and evidence.
CREATE FUNCTION aisre_incident_signature() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.root_cause IS NULL THEN
    NEW.signature := NULL;
    RETURN NEW;
  END IF;
  -- A NULL signature asks for a (re)computation: never computed, or cleared below.
  IF TG_OP = 'UPDATE' AND NEW.signature IS NOT NULL
     AND NEW.root_cause IS NOT DISTINCT FROM OLD.root_cause
     AND NEW.diagnosis_uid IS NOT DISTINCT FROM OLD.diagnosis_uid THEN
    RETURN NEW;
  END IF;
  NEW.signature := aisre_signature(concat_ws(' ', NEW.root_cause, (
    SELECT string_agg(concat_ws(' ', f.x->>'message', (
             SELECT string_agg(e, ' ') FROM jsonb_array_elements_text(
               CASE WHEN jsonb_typeof(f.x->'evidence') = 'array' THEN f.x->'evidence' ELSE '[]'::jsonb END) e)),
           ' ' ORDER BY f.n)
    FROM diagnoses d, jsonb_array_elements(
      CASE WHEN jsonb_typeof(d.findings) = 'array' THEN d.findings ELSE '[]'::jsonb END) WITH ORDINALITY f(x, n)
    WHERE d.diagnosis_uid = NEW.diagnosis_uid AND f.n <= 3)));
  RETURN NEW;
END
$$;

CREATE TRIGGER incidents_signature BEFORE INSERT OR UPDATE ON incidents
  FOR EACH ROW EXECUTE FUNCTION aisre_incident_signature();

-- Findings stored after the incident's diagnosis was marked (the projection retries in any
-- order) refresh its signature.
CREATE FUNCTION aisre_diagnosis_signature() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE incidents SET signature = NULL WHERE diagnosis_uid = NEW.diagnosis_uid AND root_cause IS NOT NULL;
  RETURN NULL;
END
$$;

CREATE TRIGGER diagnoses_signature AFTER INSERT OR UPDATE OF findings, root_cause ON diagnoses
  FOR EACH ROW EXECUTE FUNCTION aisre_diagnosis_signature();

-- Incidents diagnosed before this migration get theirs now (the trigger computes it).
UPDATE incidents SET signature = NULL WHERE root_cause IS NOT NULL;
