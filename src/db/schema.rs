// Hand-written to keep to the portable SQL types that Diesel's MultiConnection supports (DESIGN.md
// "Data"). Keep in step with both migrations/sqlite and migrations/postgres.
diesel::table! {
    sellers (id) {
        id -> BigInt,
        name -> Text,
        short_name -> Text,
        nip -> Text,
        regon -> Nullable<Text>,
        address_line -> Text,
        postal_code -> Text,
        city -> Text,
        country_code -> Text,
        email -> Text,
        phone -> Text,
        website -> Nullable<Text>,
        bank_name -> Text,
        bank_account -> Text,
        account_prefix -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    customers (id) {
        id -> BigInt,
        customer_number -> BigInt,
        kind -> Text,
        first_name -> Nullable<Text>,
        last_name -> Nullable<Text>,
        company_name -> Nullable<Text>,
        pesel_hash -> Nullable<Text>,
        pesel_last4 -> Nullable<Text>,
        nip -> Nullable<Text>,
        address_line -> Text,
        postal_code -> Text,
        city -> Text,
        country_code -> Text,
        correspondence_address_line -> Nullable<Text>,
        correspondence_postal_code -> Nullable<Text>,
        correspondence_city -> Nullable<Text>,
        email -> Text,
        phone -> Nullable<Text>,
        language -> Text,
        nrb -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        notify_invoices -> Bool,
        notify_reminders -> Bool,
        notify_outages -> Bool,
        notify_tickets -> Bool,
    }
}

diesel::table! {
    accounts (id) {
        id -> BigInt,
        customer_id -> BigInt,
        login -> Text,
        login_key -> Text,
        email -> Text,
        password_hash -> Text,
        role -> Text,
        status -> Text,
        language -> Text,
        totp_secret -> Nullable<Text>,
        terms_version -> Nullable<Text>,
        created_at -> Timestamp,
        activated_at -> Nullable<Timestamp>,
        last_login_at -> Nullable<Timestamp>,
        totp_last_step -> Nullable<BigInt>,
    }
}

diesel::table! {
    staff_users (id) {
        id -> BigInt,
        login -> Text,
        login_key -> Text,
        full_name -> Text,
        email -> Text,
        password_hash -> Text,
        role -> Text,
        active -> Bool,
        totp_secret -> Nullable<Text>,
        created_at -> Timestamp,
        last_login_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    tariffs (id) {
        id -> BigInt,
        code -> Text,
        name -> Text,
        download_mbps -> Integer,
        upload_mbps -> Integer,
        monthly_fee -> BigInt,
        vat_rate -> Text,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    contracts (id) {
        id -> BigInt,
        customer_id -> BigInt,
        number -> Text,
        tariff_id -> BigInt,
        signed_on -> Date,
        starts_on -> Date,
        ends_on -> Nullable<Date>,
        term_months -> Nullable<Integer>,
        after_term -> Text,
        monthly_fee -> BigInt,
        billing_day -> Integer,
        install_address_line -> Text,
        install_postal_code -> Text,
        install_city -> Text,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    services (id) {
        id -> BigInt,
        customer_id -> BigInt,
        contract_id -> Nullable<BigInt>,
        kind -> Text,
        name -> Text,
        status -> Text,
        activated_on -> Date,
        expires_on -> Nullable<Date>,
        monthly_fee -> BigInt,
        renewal_price -> Nullable<BigInt>,
        auto_renew -> Bool,
        created_at -> Timestamp,
        updated_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    endpoints (id) {
        id -> BigInt,
        service_id -> BigInt,
        ipv4 -> Nullable<Text>,
        ipv6_prefix -> Nullable<Text>,
        mac -> Nullable<Text>,
        pppoe_login -> Nullable<Text>,
        pppoe_password -> Nullable<Text>,
        address_line -> Text,
        postal_code -> Text,
        city -> Text,
        access_enabled -> Bool,
        created_at -> Timestamp,
        updated_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    domains (id) {
        id -> BigInt,
        customer_id -> BigInt,
        name -> Text,
        status -> Text,
        registered_on -> Date,
        expires_on -> Date,
        auto_renew -> Bool,
        renewal_price -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    invoice_series (id) {
        id -> BigInt,
        code -> Text,
        name -> Text,
        kind -> Text,
        template -> Text,
        reset_period -> Text,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    invoice_counters (series_id,period_key) {
        series_id -> BigInt,
        period_key -> Text,
        last_seq -> BigInt,
    }
}

diesel::table! {
    invoices (id) {
        id -> BigInt,
        customer_id -> BigInt,
        contract_id -> Nullable<BigInt>,
        kind -> Text,
        status -> Text,
        series_id -> Nullable<BigInt>,
        period_key -> Nullable<Text>,
        seq -> Nullable<BigInt>,
        number -> Nullable<Text>,
        corrects_invoice_id -> Nullable<BigInt>,
        correction_reason -> Nullable<Text>,
        issue_date -> Date,
        sale_date -> Nullable<Date>,
        period_start -> Nullable<Date>,
        period_end -> Nullable<Date>,
        due_date -> Date,
        payment_method -> Text,
        seller_name -> Text,
        seller_nip -> Text,
        seller_address_line -> Text,
        seller_postal_code -> Text,
        seller_city -> Text,
        buyer_name -> Text,
        buyer_nip -> Nullable<Text>,
        buyer_address_line -> Text,
        buyer_postal_code -> Text,
        buyer_city -> Text,
        bank_account -> Text,
        total_net -> BigInt,
        total_vat -> BigInt,
        total_gross -> BigInt,
        split_payment -> Bool,
        delivery -> Text,
        pdf_path -> Nullable<Text>,
        pdf_sha256 -> Nullable<Text>,
        created_at -> Timestamp,
        issued_at -> Nullable<Timestamp>,
        price_kind -> Text,
        delivered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    invoice_lines (id) {
        id -> BigInt,
        invoice_id -> BigInt,
        position -> Integer,
        name -> Text,
        unit -> Text,
        quantity -> Text,
        unit_price -> BigInt,
        price_kind -> Text,
        net -> BigInt,
        vat_rate -> Text,
        vat -> BigInt,
        gross -> BigInt,
        service_id -> Nullable<BigInt>,
        side -> Text,
    }
}

diesel::table! {
    payments (id) {
        id -> BigInt,
        customer_id -> BigInt,
        amount -> BigInt,
        received_on -> Date,
        method -> Text,
        source -> Text,
        title -> Nullable<Text>,
        payer_name -> Nullable<Text>,
        bank_reference -> Nullable<Text>,
        recorded_by_staff_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        match_reason -> Nullable<Text>,
        reversed_at -> Nullable<Timestamp>,
        reversed_by_staff_id -> Nullable<BigInt>,
        reversal_reason -> Nullable<Text>,
    }
}

diesel::table! {
    import_batches (id) {
        id -> BigInt,
        file_name -> Text,
        format -> Text,
        status -> Text,
        file_sha256 -> Text,
        created_by_staff_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        committed_by_staff_id -> Nullable<BigInt>,
        committed_at -> Nullable<Timestamp>,
        layout -> Nullable<Text>,
        encoding -> Text,
        skipped -> Text,
    }
}

diesel::table! {
    bank_transactions (id) {
        id -> BigInt,
        batch_id -> BigInt,
        line_no -> BigInt,
        idempotency_key -> Text,
        booked_on -> Date,
        amount -> BigInt,
        title -> Text,
        payer_name -> Nullable<Text>,
        payer_account -> Nullable<Text>,
        account_to -> Nullable<Text>,
        bank_reference -> Nullable<Text>,
        status -> Text,
        customer_id -> Nullable<BigInt>,
        invoice_id -> Nullable<BigInt>,
        match_reason -> Nullable<Text>,
        payment_id -> Nullable<BigInt>,
        committed_key -> Nullable<Text>,
        assigned_by_staff_id -> Nullable<BigInt>,
        assigned_at -> Nullable<Timestamp>,
        customer_reference -> Nullable<Text>,
    }
}

diesel::table! {
    payment_allocations (id) {
        id -> BigInt,
        payment_id -> BigInt,
        invoice_id -> BigInt,
        amount -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    tickets (id) {
        id -> BigInt,
        customer_id -> BigInt,
        opened_by_account_id -> Nullable<BigInt>,
        service_id -> Nullable<BigInt>,
        subject -> Text,
        category -> Text,
        status -> Text,
        priority -> Text,
        assigned_staff_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    ticket_messages (id) {
        id -> BigInt,
        ticket_id -> BigInt,
        author_account_id -> Nullable<BigInt>,
        author_staff_id -> Nullable<BigInt>,
        body -> Text,
        internal -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    ticket_attachments (id) {
        id -> BigInt,
        ticket_id -> BigInt,
        message_id -> BigInt,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        storage_path -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    canned_responses (id) {
        id -> BigInt,
        title -> Text,
        body -> Text,
        active -> Bool,
        created_by_staff_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    news (id) {
        id -> BigInt,
        kind -> Text,
        title -> Text,
        body -> Text,
        urgent -> Bool,
        area -> Nullable<Text>,
        published_at -> Timestamp,
        starts_at -> Nullable<Timestamp>,
        ends_at -> Nullable<Timestamp>,
        author_staff_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        retired_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        kind -> Text,
        recipient -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Nullable<Text>,
        attachment_path -> Nullable<Text>,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        list_unsubscribe -> Nullable<Text>,
    }
}

diesel::table! {
    one_time_tokens (id) {
        id -> BigInt,
        purpose -> Text,
        token_hash -> Text,
        account_id -> Nullable<BigInt>,
        staff_user_id -> Nullable<BigInt>,
        customer_id -> Nullable<BigInt>,
        payload -> Nullable<Text>,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        token_hash -> Text,
        account_id -> Nullable<BigInt>,
        staff_user_id -> Nullable<BigInt>,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
        ended_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        at -> Timestamp,
        actor_kind -> Text,
        actor_account_id -> Nullable<BigInt>,
        actor_staff_id -> Nullable<BigInt>,
        customer_id -> Nullable<BigInt>,
        ip -> Nullable<Text>,
        action -> Text,
        details -> Text,
    }
}

diesel::table! {
    settings (key) {
        key -> Text,
        value -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    rate_limit_events (id) {
        id -> BigInt,
        bucket -> Text,
        subject -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    recovery_codes (id) {
        id -> BigInt,
        account_id -> BigInt,
        code_hash -> Text,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    consents (id) {
        id -> BigInt,
        customer_id -> BigInt,
        kind -> Text,
        granted -> Bool,
        text_version -> Text,
        account_id -> Nullable<BigInt>,
        ip -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    profile_change_requests (id) {
        id -> BigInt,
        customer_id -> BigInt,
        account_id -> Nullable<BigInt>,
        field -> Text,
        requested -> Text,
        status -> Text,
        ip -> Nullable<Text>,
        requested_at -> Timestamp,
        decided_at -> Nullable<Timestamp>,
        decided_by_staff_id -> Nullable<BigInt>,
        decision_note -> Nullable<Text>,
    }
}

diesel::table! {
    offer_banners (id) {
        id -> BigInt,
        title -> Text,
        body -> Text,
        link_url -> Nullable<Text>,
        area -> Nullable<Text>,
        starts_at -> Timestamp,
        ends_at -> Nullable<Timestamp>,
        retired_at -> Nullable<Timestamp>,
        created_by_staff_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    news_confirmations (news_id, customer_id) {
        news_id -> BigInt,
        customer_id -> BigInt,
        account_id -> Nullable<BigInt>,
        confirmed_at -> Timestamp,
    }
}

diesel::table! {
    billing_runs (id) {
        id -> BigInt,
        period -> Text,
        issue_date -> Date,
        status -> Text,
        source -> Text,
        started_by_staff_id -> Nullable<BigInt>,
        started_at -> Timestamp,
        heartbeat_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
        customers_total -> BigInt,
        customers_done -> BigInt,
        issued -> BigInt,
        skipped -> BigInt,
        total_gross -> BigInt,
        skip_reasons -> Text,
        pdf_ms -> BigInt,
        db_ms -> BigInt,
        error -> Nullable<Text>,
    }
}

diesel::table! {
    subscription_periods (id) {
        id -> BigInt,
        service_id -> BigInt,
        contract_id -> Nullable<BigInt>,
        period -> Text,
        invoice_id -> BigInt,
        source -> Text,
        created_at -> Timestamp,
        released_by_invoice_id -> Nullable<BigInt>,
        released_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    billed_periods (customer_id, period) {
        customer_id -> BigInt,
        period -> Text,
        invoice_id -> BigInt,
        run_id -> BigInt,
    }
}

diesel::table! {
    service_discounts (id) {
        id -> BigInt,
        service_id -> BigInt,
        name -> Text,
        kind -> Text,
        value -> BigInt,
        starts_on -> Date,
        ends_on -> Nullable<Date>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    pending_charges (id) {
        id -> BigInt,
        customer_id -> BigInt,
        service_id -> Nullable<BigInt>,
        name -> Text,
        amount -> BigInt,
        vat_rate -> Text,
        period -> Text,
        invoice_id -> Nullable<BigInt>,
        created_by_staff_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(accounts -> customers (customer_id));
diesel::joinable!(profile_change_requests -> customers (customer_id));
diesel::joinable!(news_confirmations -> news (news_id));
diesel::joinable!(consents -> customers (customer_id));
diesel::joinable!(recovery_codes -> accounts (account_id));
diesel::joinable!(contracts -> customers (customer_id));
diesel::joinable!(contracts -> tariffs (tariff_id));
diesel::joinable!(services -> customers (customer_id));
diesel::joinable!(services -> contracts (contract_id));
diesel::joinable!(endpoints -> services (service_id));
diesel::joinable!(domains -> customers (customer_id));
diesel::joinable!(invoice_counters -> invoice_series (series_id));
diesel::joinable!(invoices -> customers (customer_id));
diesel::joinable!(invoices -> contracts (contract_id));
diesel::joinable!(invoices -> invoice_series (series_id));
diesel::joinable!(invoice_lines -> invoices (invoice_id));
diesel::joinable!(invoice_lines -> services (service_id));
diesel::joinable!(payments -> customers (customer_id));
diesel::joinable!(payments -> staff_users (recorded_by_staff_id));
diesel::joinable!(payment_allocations -> payments (payment_id));
diesel::joinable!(payment_allocations -> invoices (invoice_id));
diesel::joinable!(bank_transactions -> import_batches (batch_id));
diesel::joinable!(bank_transactions -> customers (customer_id));
diesel::joinable!(bank_transactions -> invoices (invoice_id));
diesel::joinable!(bank_transactions -> payments (payment_id));
diesel::joinable!(tickets -> customers (customer_id));
diesel::joinable!(tickets -> accounts (opened_by_account_id));
diesel::joinable!(tickets -> services (service_id));
diesel::joinable!(tickets -> staff_users (assigned_staff_id));
diesel::joinable!(ticket_messages -> tickets (ticket_id));
diesel::joinable!(ticket_messages -> accounts (author_account_id));
diesel::joinable!(ticket_messages -> staff_users (author_staff_id));
diesel::joinable!(ticket_attachments -> tickets (ticket_id));
diesel::joinable!(ticket_attachments -> ticket_messages (message_id));
diesel::joinable!(canned_responses -> staff_users (created_by_staff_id));
diesel::joinable!(news -> staff_users (author_staff_id));
diesel::joinable!(one_time_tokens -> accounts (account_id));
diesel::joinable!(one_time_tokens -> staff_users (staff_user_id));
diesel::joinable!(one_time_tokens -> customers (customer_id));
diesel::joinable!(sessions -> accounts (account_id));
diesel::joinable!(sessions -> staff_users (staff_user_id));

diesel::joinable!(billing_runs -> staff_users (started_by_staff_id));
diesel::joinable!(billed_periods -> customers (customer_id));
diesel::joinable!(billed_periods -> invoices (invoice_id));
diesel::joinable!(billed_periods -> billing_runs (run_id));
diesel::joinable!(subscription_periods -> services (service_id));
diesel::joinable!(subscription_periods -> invoices (invoice_id));
diesel::joinable!(service_discounts -> services (service_id));
diesel::joinable!(pending_charges -> customers (customer_id));
diesel::joinable!(pending_charges -> services (service_id));
diesel::joinable!(pending_charges -> invoices (invoice_id));
diesel::joinable!(pending_charges -> staff_users (created_by_staff_id));

diesel::allow_tables_to_appear_in_same_query!(
    sellers,
    customers,
    accounts,
    staff_users,
    tariffs,
    contracts,
    services,
    endpoints,
    domains,
    invoice_series,
    invoice_counters,
    invoices,
    invoice_lines,
    payments,
    payment_allocations,
    import_batches,
    bank_transactions,
    tickets,
    ticket_messages,
    ticket_attachments,
    canned_responses,
    news,
    outbox,
    one_time_tokens,
    sessions,
    audit_log,
    settings,
    rate_limit_events,
    recovery_codes,
    consents,
    profile_change_requests,
    offer_banners,
    news_confirmations,
    billing_runs,
    billed_periods,
    subscription_periods,
    service_discounts,
    pending_charges,
);

// KSeF (migration 2026-12-06-000001_ksef): kept apart so the tables above stay as they were.
diesel::table! {
    ksef_documents (invoice_id) {
        invoice_id -> BigInt,
        xml -> Nullable<Text>,
        xml_sha256 -> Nullable<Text>,
        state -> Text,
        attempts -> BigInt,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        session_reference -> Nullable<Text>,
        invoice_reference -> Nullable<Text>,
        ksef_number -> Nullable<Text>,
        acquired_at -> Nullable<Timestamp>,
        upo -> Nullable<Text>,
        error_code -> Nullable<BigInt>,
        error_text -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        numbered_pdf_path -> Nullable<Text>,
        numbered_pdf_sha256 -> Nullable<Text>,
        correction_credit -> Nullable<BigInt>,
        offline_mode -> Bool,
    }
}

diesel::table! {
    ksef_sessions (reference_number) {
        reference_number -> Text,
        environment -> Text,
        opened_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
        invoices_sent -> BigInt,
        status_code -> Nullable<BigInt>,
        status_text -> Nullable<Text>,
        upo -> Nullable<Text>,
    }
}

diesel::table! {
    ksef_settings (id) {
        id -> BigInt,
        environment -> Text,
        token_ciphertext -> Nullable<Text>,
        send_consumer_invoices -> Bool,
        updated_at -> Timestamp,
    }
}

// The seller's KSeF Offline certificate (migration 2026-12-07-100001_ksef_offline_certificate).
diesel::table! {
    ksef_offline_certificate (id) {
        id -> BigInt,
        certificate_pem -> Text,
        serial -> Text,
        key_ciphertext -> Text,
        valid_to -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(ksef_documents -> invoices (invoice_id));

diesel::allow_tables_to_appear_in_same_query!(ksef_documents, ksef_sessions, ksef_settings);
diesel::allow_tables_to_appear_in_same_query!(ksef_documents, invoices);
diesel::allow_tables_to_appear_in_same_query!(ksef_documents, customers);

// Online payments (migration 2026-12-06-200001_online_payments).
diesel::table! {
    online_payments (id) {
        id -> BigInt,
        customer_id -> BigInt,
        account_id -> Nullable<BigInt>,
        ext_order_id -> Text,
        payu_order_id -> Nullable<Text>,
        purpose -> Text,
        description -> Text,
        total_amount -> BigInt,
        currency -> Text,
        state -> Text,
        redirect_uri -> Nullable<Text>,
        notify_email -> Text,
        language -> Text,
        flag -> Nullable<Text>,
        payment_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        updated_at -> Timestamp,
        completed_at -> Nullable<Timestamp>,
        canceled_at -> Nullable<Timestamp>,
        cancel_reason -> Nullable<Text>,
        flag_resolved_at -> Nullable<Timestamp>,
        flag_resolved_by_staff_id -> Nullable<BigInt>,
        flag_resolution -> Nullable<Text>,
    }
}

diesel::table! {
    online_payment_invoices (online_payment_id, invoice_id) {
        online_payment_id -> BigInt,
        invoice_id -> BigInt,
        amount -> BigInt,
    }
}

diesel::joinable!(online_payments -> customers (customer_id));
diesel::joinable!(online_payment_invoices -> online_payments (online_payment_id));
diesel::joinable!(online_payment_invoices -> invoices (invoice_id));

diesel::allow_tables_to_appear_in_same_query!(online_payments, online_payment_invoices);
diesel::allow_tables_to_appear_in_same_query!(online_payments, customers);
diesel::allow_tables_to_appear_in_same_query!(online_payment_invoices, invoices);

// Top-up packages and lapsing credit (migration 2026-12-07-200001_top_ups).
diesel::table! {
    top_up_packages (id) {
        id -> BigInt,
        name -> Text,
        price -> BigInt,
        value -> BigInt,
        validity_days -> Integer,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    top_ups (id) {
        id -> BigInt,
        online_payment_id -> BigInt,
        customer_id -> BigInt,
        package_id -> BigInt,
        name -> Text,
        price -> BigInt,
        value -> BigInt,
        validity_days -> Integer,
        payment_id -> Nullable<BigInt>,
        bonus_payment_id -> Nullable<BigInt>,
        expires_on -> Nullable<Date>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    expiring_credits (payment_id) {
        payment_id -> BigInt,
        customer_id -> BigInt,
        expires_on -> Date,
        expired_amount -> Nullable<BigInt>,
        expired_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(top_ups -> online_payments (online_payment_id));
diesel::joinable!(top_ups -> top_up_packages (package_id));
diesel::joinable!(expiring_credits -> payments (payment_id));

diesel::allow_tables_to_appear_in_same_query!(top_ups, online_payments);
diesel::allow_tables_to_appear_in_same_query!(top_ups, top_up_packages);
diesel::allow_tables_to_appear_in_same_query!(expiring_credits, payments);

// Dunning (migration 2026-12-06-300001_dunning): kept apart so the tables above stay as they were.
diesel::table! {
    statutory_interest_rates (valid_from) {
        valid_from -> Date,
        reference_bp -> BigInt,
        consumer_bp -> BigInt,
        commercial_bp -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    dunning_settings (id) {
        id -> BigInt,
        minimum_debt -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    dunning_plan_steps (kind) {
        kind -> Text,
        offset_days -> BigInt,
        deadline_days -> Nullable<BigInt>,
        by_email -> Bool,
        in_portal -> Bool,
        by_letter -> Bool,
        active -> Bool,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    dunning_pauses (customer_id) {
        customer_id -> BigInt,
        reason -> Text,
        paused_by_staff_id -> Nullable<BigInt>,
        paused_at -> Timestamp,
    }
}

diesel::table! {
    dunning_steps (id) {
        id -> BigInt,
        invoice_id -> BigInt,
        customer_id -> BigInt,
        step -> Text,
        status -> Text,
        taken_on -> Date,
        outstanding -> BigInt,
        interest -> BigInt,
        interest_kind -> Text,
        deadline -> Nullable<Date>,
        by_email -> Bool,
        in_portal -> Bool,
        by_letter -> Bool,
        created_at -> Timestamp,
        letter_sent_at -> Nullable<Timestamp>,
        letter_sent_by_staff_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    endpoint_flags (endpoint_id) {
        endpoint_id -> BigInt,
        customer_id -> BigInt,
        flag -> Text,
        invoice_id -> BigInt,
        set_at -> Timestamp,
    }
}

diesel::joinable!(dunning_steps -> invoices (invoice_id));
diesel::joinable!(dunning_steps -> customers (customer_id));
diesel::joinable!(dunning_pauses -> customers (customer_id));
diesel::joinable!(endpoint_flags -> endpoints (endpoint_id));

diesel::allow_tables_to_appear_in_same_query!(
    statutory_interest_rates,
    dunning_settings,
    dunning_plan_steps,
    dunning_pauses,
    dunning_steps,
    endpoint_flags,
);
diesel::allow_tables_to_appear_in_same_query!(dunning_steps, invoices);
diesel::allow_tables_to_appear_in_same_query!(dunning_steps, customers);
diesel::allow_tables_to_appear_in_same_query!(dunning_pauses, customers);
diesel::allow_tables_to_appear_in_same_query!(endpoint_flags, endpoints);
diesel::allow_tables_to_appear_in_same_query!(endpoint_flags, customers);

// Technician visits (issue 22).
diesel::table! {
    technicians (id) {
        id -> BigInt,
        name -> Text,
        phone -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    technician_areas (technician_id, area) {
        technician_id -> BigInt,
        area -> Text,
    }
}

diesel::table! {
    technician_hours (technician_id, weekday) {
        technician_id -> BigInt,
        weekday -> BigInt,
        starts_minute -> BigInt,
        ends_minute -> BigInt,
    }
}

diesel::table! {
    technician_days_off (technician_id, day) {
        technician_id -> BigInt,
        day -> Date,
        reason -> Text,
    }
}

diesel::table! {
    visit_kinds (id) {
        id -> BigInt,
        name -> Text,
        duration_minutes -> BigInt,
        price -> BigInt,
        vat_rate -> Text,
        late_fee_percent -> BigInt,
        late_cancel_hours -> BigInt,
        free_notice_hours -> BigInt,
        fee_rule -> Text,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    visits (id) {
        id -> BigInt,
        customer_id -> BigInt,
        contract_id -> BigInt,
        technician_id -> BigInt,
        kind_id -> BigInt,
        ticket_id -> Nullable<BigInt>,
        service_id -> Nullable<BigInt>,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        status -> Text,
        phone -> Text,
        access_notes -> Text,
        address_line -> Text,
        postal_code -> Text,
        city -> Text,
        price -> BigInt,
        revision -> BigInt,
        fee_amount -> Nullable<BigInt>,
        fee_reason -> Nullable<Text>,
        fee_charge_id -> Nullable<BigInt>,
        fee_shortened_days -> Nullable<BigInt>,
        fee_waived_at -> Nullable<Timestamp>,
        fee_waived_by_staff_id -> Nullable<BigInt>,
        fee_waive_reason -> Nullable<Text>,
        cancelled_at -> Nullable<Timestamp>,
        cancelled_by -> Nullable<Text>,
        reminder_claimed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    visit_slot_holds (technician_id, slot_start) {
        technician_id -> BigInt,
        slot_start -> Timestamp,
        visit_id -> BigInt,
    }
}

diesel::joinable!(technician_areas -> technicians (technician_id));
diesel::joinable!(technician_hours -> technicians (technician_id));
diesel::joinable!(technician_days_off -> technicians (technician_id));
diesel::joinable!(visits -> technicians (technician_id));
diesel::joinable!(visits -> visit_kinds (kind_id));
diesel::joinable!(visits -> customers (customer_id));
diesel::joinable!(visit_slot_holds -> visits (visit_id));

diesel::allow_tables_to_appear_in_same_query!(
    technicians,
    technician_areas,
    technician_hours,
    technician_days_off,
    visit_kinds,
    visits,
    visit_slot_holds,
);
diesel::allow_tables_to_appear_in_same_query!(visits, customers);

diesel::table! {
    notice_mails (id) {
        id -> BigInt,
        customer_id -> BigInt,
        kind -> Text,
        subject_id -> BigInt,
        ends_on -> Date,
        mailed_at -> Timestamp,
    }
}

diesel::table! {
    outage_mailings (news_id) {
        news_id -> BigInt,
        recipients -> BigInt,
        mailed_at -> Timestamp,
    }
}

diesel::table! {
    mailing_list_tokens (id) {
        id -> BigInt,
        customer_id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(notice_mails -> customers (customer_id));
diesel::joinable!(outage_mailings -> news (news_id));
diesel::joinable!(mailing_list_tokens -> customers (customer_id));

diesel::allow_tables_to_appear_in_same_query!(notice_mails, customers);
diesel::allow_tables_to_appear_in_same_query!(outage_mailings, news);
diesel::allow_tables_to_appear_in_same_query!(mailing_list_tokens, customers);

// Interest notes (migration 2026-12-07-300001).
diesel::table! {
    interest_note_counters (year) {
        year -> BigInt,
        last_seq -> BigInt,
    }
}

diesel::table! {
    interest_notes (id) {
        id -> BigInt,
        customer_id -> BigInt,
        number -> Text,
        year -> BigInt,
        seq -> BigInt,
        issue_date -> Date,
        due_date -> Date,
        interest_kind -> Text,
        total -> BigInt,
        pdf_path -> Text,
        pdf_sha256 -> Text,
        issued_by_staff_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    interest_note_items (id) {
        id -> BigInt,
        note_id -> BigInt,
        invoice_id -> BigInt,
        principal -> BigInt,
        due_date -> Date,
        paid_on -> Date,
        days -> BigInt,
        interest -> BigInt,
        compensation_eur -> BigInt,
        compensation -> BigInt,
        eur_rate_on -> Nullable<Date>,
        eur_rate_e4 -> Nullable<BigInt>,
    }
}

diesel::table! {
    eur_exchange_rates (valid_on) {
        valid_on -> Date,
        pln_per_eur_e4 -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    interest_note_allocations (id) {
        id -> BigInt,
        payment_id -> BigInt,
        note_id -> BigInt,
        amount -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::joinable!(interest_notes -> customers (customer_id));
diesel::joinable!(interest_note_items -> interest_notes (note_id));
diesel::joinable!(interest_note_items -> invoices (invoice_id));
diesel::joinable!(interest_note_allocations -> interest_notes (note_id));
diesel::joinable!(interest_note_allocations -> payments (payment_id));

diesel::allow_tables_to_appear_in_same_query!(
    interest_note_counters,
    interest_notes,
    interest_note_items,
    interest_note_allocations,
);
diesel::allow_tables_to_appear_in_same_query!(interest_notes, customers);
diesel::allow_tables_to_appear_in_same_query!(interest_note_items, invoices);
diesel::allow_tables_to_appear_in_same_query!(interest_note_allocations, payments);
diesel::allow_tables_to_appear_in_same_query!(interest_note_items, payments);
diesel::allow_tables_to_appear_in_same_query!(interest_notes, payments);
diesel::allow_tables_to_appear_in_same_query!(interest_notes, invoices);
diesel::allow_tables_to_appear_in_same_query!(interest_note_items, payment_allocations);

// Interest notes paid online (migration 2026-12-10-100001_interest_note_payments).
diesel::table! {
    online_payment_notes (online_payment_id, note_id) {
        online_payment_id -> BigInt,
        note_id -> BigInt,
        amount -> BigInt,
    }
}

diesel::joinable!(online_payment_notes -> online_payments (online_payment_id));
diesel::joinable!(online_payment_notes -> interest_notes (note_id));

diesel::allow_tables_to_appear_in_same_query!(online_payment_notes, online_payments);
diesel::allow_tables_to_appear_in_same_query!(online_payment_notes, interest_notes);

// Discounts by eligibility, "ulgi" (migration 2026-12-08-400001_discounts).
diesel::table! {
    discount_types (id) {
        id -> BigInt,
        name -> Text,
        who_qualifies -> Text,
        proof_required -> Text,
        kind -> Text,
        value -> BigInt,
        tariff_id -> Nullable<BigInt>,
        valid_from -> Date,
        valid_until -> Nullable<Date>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    discount_applications (id) {
        id -> BigInt,
        customer_id -> BigInt,
        contract_id -> BigInt,
        discount_type_id -> BigInt,
        status -> Text,
        proof_file_name -> Text,
        proof_content_type -> Text,
        proof_size_bytes -> BigInt,
        proof_sha256 -> Text,
        proof_storage_path -> Text,
        proof_valid_until -> Nullable<Date>,
        starts_on -> Nullable<Date>,
        ends_on -> Nullable<Date>,
        decided_by_staff_id -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
        refusal_reason -> Nullable<Text>,
        expiry_notice_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(discount_types -> tariffs (tariff_id));
diesel::joinable!(discount_applications -> customers (customer_id));
diesel::joinable!(discount_applications -> contracts (contract_id));
diesel::joinable!(discount_applications -> discount_types (discount_type_id));
diesel::joinable!(discount_applications -> staff_users (decided_by_staff_id));
diesel::allow_tables_to_appear_in_same_query!(discount_types, tariffs);
diesel::allow_tables_to_appear_in_same_query!(discount_applications, discount_types);
diesel::allow_tables_to_appear_in_same_query!(discount_applications, customers);
diesel::allow_tables_to_appear_in_same_query!(discount_applications, contracts);
diesel::allow_tables_to_appear_in_same_query!(discount_applications, tariffs);
diesel::allow_tables_to_appear_in_same_query!(discount_types, contracts);

// Refunds chosen on a correction (migration 2026-12-08-600001).
diesel::table! {
    correction_refunds (id) {
        id -> BigInt,
        customer_id -> BigInt,
        correction_id -> BigInt,
        amount -> BigInt,
        account -> Text,
        status -> Text,
        created_at -> Timestamp,
        created_by_staff_id -> Nullable<BigInt>,
        sent_at -> Nullable<Timestamp>,
        sent_by_staff_id -> Nullable<BigInt>,
    }
}

diesel::joinable!(correction_refunds -> customers (customer_id));
diesel::joinable!(correction_refunds -> invoices (correction_id));

diesel::allow_tables_to_appear_in_same_query!(correction_refunds, customers);
diesel::allow_tables_to_appear_in_same_query!(correction_refunds, invoices);

// The JSON API (migration 2026-12-08-100001_api).
diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        name -> Text,
        token_hash -> Text,
        scopes -> Text,
        allowed_networks -> Text,
        expires_at -> Nullable<Timestamp>,
        rate_per_minute -> Integer,
        window_started_at -> Nullable<Timestamp>,
        window_count -> Integer,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        created_by_staff_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    api_idempotency (id) {
        id -> BigInt,
        token_id -> BigInt,
        idempotency_key -> Text,
        request_hash -> Text,
        status -> Integer,
        response -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(api_idempotency -> api_tokens (token_id));
diesel::allow_tables_to_appear_in_same_query!(api_tokens, api_idempotency);

// The catalogue, the cart and orders (migration 2026-12-08-500001_orders).
diesel::table! {
    catalogue_items (id) {
        id -> BigInt,
        kind -> Text,
        name -> Text,
        description -> Text,
        price_gross -> BigInt,
        price_net -> BigInt,
        vat_rate -> Text,
        monthly_fee -> BigInt,
        tariff_id -> Nullable<BigInt>,
        needs_people -> Bool,
        needs_installation -> Bool,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    cart_items (id) {
        id -> BigInt,
        customer_id -> BigInt,
        catalogue_item_id -> Nullable<BigInt>,
        renewal_service_id -> Nullable<BigInt>,
        renewal_domain_id -> Nullable<BigInt>,
        domain_name -> Nullable<Text>,
        auth_code -> Nullable<Text>,
        quantity -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    shop_orders (id) {
        id -> BigInt,
        customer_id -> BigInt,
        account_id -> Nullable<BigInt>,
        placement_key -> Text,
        status -> Text,
        fulfilment -> Text,
        price_kind -> Text,
        total_gross -> BigInt,
        fee_total -> BigInt,
        notify_email -> Text,
        language -> Text,
        placed_at -> Timestamp,
        expires_at -> Timestamp,
        paid_at -> Nullable<Timestamp>,
        cancelled_at -> Nullable<Timestamp>,
        cancel_reason -> Nullable<Text>,
        payment_id -> Nullable<BigInt>,
        invoice_id -> Nullable<BigInt>,
        staff_note -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    shop_order_lines (id) {
        id -> BigInt,
        shop_order_id -> BigInt,
        line_no -> Integer,
        kind -> Text,
        catalogue_item_id -> Nullable<BigInt>,
        renewal_service_id -> Nullable<BigInt>,
        renewal_domain_id -> Nullable<BigInt>,
        name -> Text,
        domain_name -> Nullable<Text>,
        auth_code -> Nullable<Text>,
        quantity -> Integer,
        unit_price -> BigInt,
        vat_rate -> Text,
        line_gross -> BigInt,
        monthly_fee -> BigInt,
        needs_people -> Bool,
        activated_at -> Nullable<Timestamp>,
        refund_correction_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    shop_order_payments (online_payment_id) {
        online_payment_id -> BigInt,
        shop_order_id -> BigInt,
    }
}

diesel::table! {
    shop_settings (id) {
        id -> BigInt,
        online_fee -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(cart_items -> catalogue_items (catalogue_item_id));
diesel::joinable!(shop_order_lines -> shop_orders (shop_order_id));
diesel::joinable!(shop_order_payments -> shop_orders (shop_order_id));
diesel::joinable!(shop_order_payments -> online_payments (online_payment_id));
diesel::joinable!(shop_orders -> customers (customer_id));

diesel::allow_tables_to_appear_in_same_query!(
    catalogue_items,
    cart_items,
    shop_orders,
    shop_order_lines,
    shop_order_payments,
    shop_settings,
);
diesel::allow_tables_to_appear_in_same_query!(shop_orders, customers);
diesel::allow_tables_to_appear_in_same_query!(shop_order_payments, online_payments);

diesel::table! {
    traffic_samples (endpoint_id, interval_start) {
        endpoint_id -> BigInt,
        interval_start -> Timestamp,
        bytes_in -> BigInt,
        bytes_out -> BigInt,
    }
}

diesel::table! {
    traffic_hourly (endpoint_id, hour_start) {
        endpoint_id -> BigInt,
        hour_start -> Timestamp,
        bytes_in -> BigInt,
        bytes_out -> BigInt,
    }
}

diesel::table! {
    traffic_daily (endpoint_id, day) {
        endpoint_id -> BigInt,
        day -> Date,
        bytes_in -> BigInt,
        bytes_out -> BigInt,
    }
}

diesel::table! {
    traffic_rollups (level, bucket) {
        level -> Text,
        bucket -> Timestamp,
        generation -> BigInt,
        claimed_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    radius_sessions (id) {
        id -> BigInt,
        session_key -> Text,
        endpoint_id -> BigInt,
        username -> Text,
        nas_ip -> Nullable<Text>,
        framed_ip -> Nullable<Text>,
        started_at -> Timestamp,
        stopped_at -> Nullable<Timestamp>,
        bytes_in -> BigInt,
        bytes_out -> BigInt,
        terminate_cause -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(traffic_daily -> endpoints (endpoint_id));
diesel::joinable!(traffic_hourly -> endpoints (endpoint_id));
diesel::joinable!(radius_sessions -> endpoints (endpoint_id));
diesel::allow_tables_to_appear_in_same_query!(
    traffic_samples,
    traffic_hourly,
    traffic_daily,
    radius_sessions,
);
diesel::allow_tables_to_appear_in_same_query!(traffic_hourly, endpoints);
diesel::allow_tables_to_appear_in_same_query!(traffic_hourly, services);
diesel::allow_tables_to_appear_in_same_query!(traffic_hourly, customers);
diesel::allow_tables_to_appear_in_same_query!(traffic_daily, endpoints);
diesel::allow_tables_to_appear_in_same_query!(traffic_daily, services);
diesel::allow_tables_to_appear_in_same_query!(traffic_daily, customers);
diesel::allow_tables_to_appear_in_same_query!(radius_sessions, endpoints);
diesel::allow_tables_to_appear_in_same_query!(radius_sessions, services);
diesel::allow_tables_to_appear_in_same_query!(radius_sessions, customers);

diesel::table! {
    payu_refunds (id) {
        id -> BigInt,
        correction_refund_id -> BigInt,
        shop_order_id -> Nullable<BigInt>,
        payu_order_id -> Text,
        amount -> BigInt,
        description -> Text,
        state -> Text,
        payu_refund_id -> Nullable<Text>,
        failure -> Nullable<Text>,
        attempts -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(payu_refunds -> correction_refunds (correction_refund_id));
diesel::joinable!(payu_refunds -> shop_orders (shop_order_id));
diesel::allow_tables_to_appear_in_same_query!(payu_refunds, correction_refunds);
diesel::allow_tables_to_appear_in_same_query!(payu_refunds, shop_orders);

diesel::table! {
    payment_cards (id) {
        id -> BigInt,
        customer_id -> BigInt,
        token -> Nullable<Text>,
        brand -> Text,
        last_four -> Text,
        expiry_month -> Integer,
        expiry_year -> Integer,
        status -> Text,
        ext_order_id -> Text,
        payu_order_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    recurring_mandates (id) {
        id -> BigInt,
        customer_id -> BigInt,
        contract_id -> BigInt,
        card_id -> BigInt,
        status -> Text,
        consent_id -> BigInt,
        starts_on -> Date,
        ends_on -> Nullable<Date>,
        end_reason -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    recurring_charges (id) {
        id -> BigInt,
        mandate_id -> BigInt,
        contract_id -> BigInt,
        customer_id -> BigInt,
        period_start -> Date,
        period_end -> Date,
        invoice_id -> Nullable<BigInt>,
        amount -> BigInt,
        state -> Text,
        attempts -> Integer,
        next_attempt_on -> Date,
        ext_order_id -> Nullable<Text>,
        payu_order_id -> Nullable<Text>,
        lease_until -> Nullable<Timestamp>,
        payment_id -> Nullable<BigInt>,
        paid_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    recurring_failures (id) {
        id -> BigInt,
        charge_id -> BigInt,
        attempt -> Integer,
        reason -> Text,
        payu_order_id -> Nullable<Text>,
        retry_on -> Nullable<Date>,
        at -> Timestamp,
    }
}

diesel::joinable!(recurring_mandates -> payment_cards (card_id));
diesel::joinable!(recurring_mandates -> contracts (contract_id));
diesel::joinable!(recurring_charges -> recurring_mandates (mandate_id));
diesel::joinable!(recurring_failures -> recurring_charges (charge_id));
diesel::allow_tables_to_appear_in_same_query!(
    payment_cards,
    recurring_mandates,
    recurring_charges,
    recurring_failures,
);
diesel::allow_tables_to_appear_in_same_query!(recurring_mandates, contracts);
diesel::allow_tables_to_appear_in_same_query!(recurring_mandates, customers);
diesel::allow_tables_to_appear_in_same_query!(recurring_charges, customers);
diesel::allow_tables_to_appear_in_same_query!(recurring_charges, invoices);
diesel::allow_tables_to_appear_in_same_query!(payment_cards, customers);
diesel::allow_tables_to_appear_in_same_query!(payment_cards, contracts);
