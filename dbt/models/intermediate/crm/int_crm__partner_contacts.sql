-- Partner contact keys for matching leads and calls to clients (Catalog_Партнеры).
-- phone key = the last 10 digits of the number (so +7 999 000-00-00, 8 999 000 00 00 and 79990000000 match);
-- e-mail key = the address trimmed and lower-cased. When several partners share a key, clients win over
-- non-clients, then the earliest registered, then the lowest code: exactly one partner per key.
with contacts as (
    select
        'phone' as contact_kind,
        right(regexp_replace(phone, '\D', '', 'g'), 10) as contact_key,
        partner_id,
        name as partner_name,
        is_client,
        registered_at,
        code
    from {{ ref('stg_onec_trade__partners') }}
    where not is_deleted and length(regexp_replace(coalesce(phone, ''), '\D', '', 'g')) >= 10
    union all
    select
        'email' as contact_kind,
        lower(trim(email)) as contact_key,
        partner_id,
        name as partner_name,
        is_client,
        registered_at,
        code
    from {{ ref('stg_onec_trade__partners') }}
    where not is_deleted and trim(coalesce(email, '')) like '%_@_%'
),

ranked as (
    select
        *,
        row_number() over (
            partition by contact_kind, contact_key
            order by is_client desc, registered_at asc nulls last, code asc
        ) as priority
    from contacts
)

select
    contact_kind,
    contact_key,
    partner_id,
    partner_name
from ranked
where priority = 1
