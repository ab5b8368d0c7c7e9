-- The inbox reports (services/inbox/reports.cpp) read inbound items by when they arrived.
CREATE INDEX inbox_items_inbound_by_time ON inbox_items (org_id, received_at) WHERE direction = 'in';
