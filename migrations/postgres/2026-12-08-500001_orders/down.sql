DROP TABLE shop_settings;
DROP TABLE shop_order_payments;
DROP TABLE shop_order_lines;
DROP TABLE shop_orders;
DROP TABLE cart_items;
DROP TABLE catalogue_items;
