-- What the model provider said when it failed (issue 21 item 4): its HTTP status and its error message,
-- scrubbed of keys and personal data before it gets here. NULL when the provider answered.
ALTER TABLE traces ADD COLUMN upstream_status INTEGER;
ALTER TABLE traces ADD COLUMN upstream_message TEXT;
