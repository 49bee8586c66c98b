-- Supplier invoice lines from the XLSX drop folder; money in the invoice currency.
select
    file as source_file,
    row_no as source_row,
    supplier,
    truck as truck_plate,
    round(packaging_amount, 2)::numeric(18, 2) as packaging_amount,
    packaging_currency,
    invoice_no as invoice_number,
    invoice_date,
    article,
    description,
    hs_code,
    qty::numeric(18, 3) as quantity,
    round(unit_price, 2)::numeric(18, 2) as unit_price,
    currency,
    round(amount, 2)::numeric(18, 2) as amount,
    gross_weight_kg::numeric(18, 3) as gross_weight_kg,
    net_weight_kg::numeric(18, 3) as net_weight_kg,
    packages
from {{ source('files', 'supplier_invoice_lines') }}
