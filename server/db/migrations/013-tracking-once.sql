-- A carrier's tracking number labels one parcel: a second shipment with it is a misread or a
-- label reused, refused as that ship mutation's stored rejection (server/sync/push.ts).
create unique index shipments_tracking_once on shipments (carrier, upper(tracking_number));
