-- Incident memory at scale (docs/scaling.md): in an alert storm thousands of incidents share one
-- normalized signature, and the trigram search handed all of them to a one-by-one similarity
-- recheck inside every diagnosis. Incidents with exactly the same signature are found first
-- through this index; the trigram search runs only when they are fewer than the answer's limit.
CREATE INDEX incidents_signature_md5 ON incidents (md5(signature));
