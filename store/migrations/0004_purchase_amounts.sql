-- Carebook schema 4: the classification of the book (PRODUCT.md §2: lifecycle stage, churn,
-- RFM, suggested tier) sums up every customer's purchases as of a day in one pass over an index:
-- purchases_customer_date now holds the amount too, so that the pass never reads the table rows
-- (the old index's queries use the new one, which starts with the same columns).
DROP INDEX purchases_customer_date;
CREATE INDEX purchases_customer_date ON purchases (customer_id, date, amount_fen);
