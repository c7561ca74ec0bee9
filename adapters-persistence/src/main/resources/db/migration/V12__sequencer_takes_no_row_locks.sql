-- The sequencer reads a tenant's queue only under that tenant's advisory lock, so no second sequencer can read the
-- same rows: the FOR UPDATE row locks it used to take wrote every queued row once more for nothing. Without them
-- the application role needs no UPDATE on the queue; it keeps SELECT, INSERT (the queueing trigger) and DELETE.
REVOKE UPDATE ON integration_queue FROM ${app_role};
