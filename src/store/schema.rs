// Shared by both backends: only SQL types that SQLite and PostgreSQL both map the same way.

diesel::table! {
    teams (id) {
        id -> BigInt,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    surveys (id) {
        id -> BigInt,
        title -> Text,
        template -> Nullable<Text>,
        scale_min -> Integer,
        scale_max -> Integer,
        min_group_size -> Integer,
        alpha -> Double,
        materiality -> Double,
        ask_predicted -> Bool,
        ask_expected -> Bool,
        ask_importance -> Bool,
        ask_nps -> Bool,
        created_at -> Timestamp,
        organisation -> Nullable<Text>,
        contact -> Nullable<Text>,
        introduction_nl -> Nullable<Text>,
        introduction_en -> Nullable<Text>,
        privacy_statement_nl -> Nullable<Text>,
        privacy_statement_en -> Nullable<Text>,
        scale_low_nl -> Nullable<Text>,
        scale_high_nl -> Nullable<Text>,
        scale_low_en -> Nullable<Text>,
        scale_high_en -> Nullable<Text>,
        comment_min_group_size -> Integer,
        /// Bumped on every change, so each instance knows when its cached copy is stale.
        revision -> Integer,
    }
}

diesel::table! {
    dimensions (id) {
        id -> BigInt,
        survey_id -> BigInt,
        key -> Text,
        label_nl -> Text,
        label_en -> Text,
        employee_statement_nl -> Text,
        employee_statement_en -> Text,
        customer_statement_nl -> Text,
        customer_statement_en -> Text,
        category -> Text,
        position -> Integer,
    }
}

diesel::table! {
    waves (id) {
        id -> BigInt,
        survey_id -> BigInt,
        name -> Text,
        opens_at -> Timestamp,
        closes_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    invitations (id) {
        id -> BigInt,
        survey_id -> BigInt,
        wave_id -> BigInt,
        team_id -> BigInt,
        audience -> Text,
        token_hash -> Text,
        max_uses -> Integer,
        uses -> Integer,
        expires_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        revoked -> Bool,
    }
}

diesel::table! {
    responses (id) {
        id -> BigInt,
        survey_id -> BigInt,
        wave_id -> BigInt,
        team_id -> BigInt,
        audience -> Text,
        submitted_at -> Timestamp,
        nps -> Nullable<Integer>,
        comment -> Nullable<Text>,
        respondent -> Nullable<Text>,
        answers -> Text,
    }
}

diesel::table! {
    /// A view (migration 000004): one row per answer, unpacked from `responses.answers`.
    ratings (response_id, position) {
        response_id -> BigInt,
        position -> BigInt,
        survey_id -> BigInt,
        wave_id -> BigInt,
        team_id -> BigInt,
        dimension_id -> BigInt,
        kind -> Text,
        value -> Nullable<Integer>,
    }
}

diesel::table! {
    actions (id) {
        id -> BigInt,
        survey_id -> BigInt,
        wave_id -> BigInt,
        team_id -> Nullable<BigInt>,
        dimension_key -> Text,
        decision -> Text,
        description -> Text,
        owner -> Nullable<Text>,
        due_date -> Nullable<Date>,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        password_hash -> Text,
        role -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    user_teams (user_id, team_id) {
        user_id -> BigInt,
        team_id -> BigInt,
    }
}

diesel::table! {
    sessions (token_hash) {
        token_hash -> Text,
        user_id -> BigInt,
        csrf_token -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    rate_limits (bucket) {
        bucket -> Text,
        window_start -> Timestamp,
        hits -> Integer,
    }
}

diesel::joinable!(dimensions -> surveys (survey_id));
diesel::joinable!(waves -> surveys (survey_id));
diesel::joinable!(invitations -> waves (wave_id));
diesel::joinable!(responses -> waves (wave_id));
diesel::joinable!(responses -> teams (team_id));
diesel::joinable!(ratings -> responses (response_id));
diesel::joinable!(actions -> waves (wave_id));
diesel::table! {
    /// Rights over time: who held which role and team when (kept per e-mail address).
    assignment_periods (id) {
        id -> BigInt,
        email -> Text,
        role -> Text,
        team_id -> Nullable<BigInt>,
        from_at -> Timestamp,
        to_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// A team's results of a wave that a team lead may not read (`assignment_history`).
    withheld_results (email, team_id, wave_id) {
        email -> Text,
        team_id -> BigInt,
        wave_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::joinable!(user_teams -> users (user_id));
diesel::joinable!(user_teams -> teams (team_id));
diesel::joinable!(sessions -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    teams,
    surveys,
    dimensions,
    waves,
    invitations,
    responses,
    ratings,
    actions,
    users,
    user_teams,
    sessions,
    rate_limits,
);

// ---------- invitations by e-mail (migration 000008) ----------

diesel::table! {
    mail_templates (survey_id, lang, audience) {
        survey_id -> BigInt,
        lang -> Text,
        /// Migration 000013: a template per audience and language.
        audience -> Text,
        subject -> Text,
        body -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    mailings (id) {
        id -> BigInt,
        survey_id -> BigInt,
        wave_id -> BigInt,
        recipients -> Integer,
        created_at -> Timestamp,
        addresses_deleted_at -> Nullable<Timestamp>,
        reminded_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    mail_recipients (id) {
        id -> BigInt,
        mailing_id -> BigInt,
        team_id -> BigInt,
        audience -> Text,
        lang -> Text,
        email -> Nullable<Text>,
        token -> Nullable<Text>,
        invitation_id -> Nullable<BigInt>,
        opt_out_hash -> Nullable<Text>,
        opted_out -> Bool,
        created_at -> Timestamp,
        reminded_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        mailing_id -> BigInt,
        recipient_id -> BigInt,
        kind -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_by -> Nullable<Text>,
        claimed_at -> Nullable<Timestamp>,
        sent_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    mail_workers (instance) {
        instance -> Text,
        seen_at -> Timestamp,
    }
}

diesel::joinable!(mailings -> waves (wave_id));
diesel::joinable!(mail_recipients -> mailings (mailing_id));
diesel::joinable!(outbox -> mail_recipients (recipient_id));

diesel::allow_tables_to_appear_in_same_query!(
    mailings,
    mail_recipients,
    outbox,
    mail_workers,
    mail_templates,
);
diesel::allow_tables_to_appear_in_same_query!(mailings, waves);
diesel::allow_tables_to_appear_in_same_query!(mailings, surveys);
diesel::allow_tables_to_appear_in_same_query!(mailings, invitations);
diesel::allow_tables_to_appear_in_same_query!(mail_recipients, waves);
diesel::allow_tables_to_appear_in_same_query!(mail_recipients, surveys);
diesel::allow_tables_to_appear_in_same_query!(mail_recipients, invitations);
diesel::allow_tables_to_appear_in_same_query!(outbox, waves);
diesel::allow_tables_to_appear_in_same_query!(outbox, surveys);
diesel::allow_tables_to_appear_in_same_query!(outbox, invitations);
diesel::allow_tables_to_appear_in_same_query!(mail_templates, waves);
diesel::allow_tables_to_appear_in_same_query!(mail_templates, surveys);
diesel::allow_tables_to_appear_in_same_query!(mail_templates, invitations);

// ---------- signing in through the organisation's OpenID provider (migration 000010) ----------

diesel::table! {
    oidc_logins (state_hash) {
        state_hash -> Text,
        browser_hash -> Text,
        nonce -> Text,
        pkce_verifier -> Text,
        next_path -> Text,
        lang -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    oidc_identities (issuer, subject) {
        issuer -> Text,
        subject -> Text,
        user_id -> BigInt,
        created_at -> Timestamp,
    }
}

// ---------- the audit log (migration 000015) ----------

diesel::table! {
    /// Append-only: inserted by `store::audit::insert`, deleted only by the retention purge.
    audit_log (id) {
        id -> BigInt,
        at -> Timestamp,
        actor -> Text,
        actor_user_id -> Nullable<BigInt>,
        action -> Text,
        object_type -> Text,
        object_id -> Nullable<BigInt>,
        object_name -> Nullable<Text>,
        outcome -> Text,
        detail -> Nullable<Text>,
    }
}

// ---------- the live workshop (migration 000014) ----------

diesel::table! {
    live_sessions (id) {
        id -> BigInt,
        code_hash -> Text,
        survey_id -> BigInt,
        wave_id -> BigInt,
        team_id -> Nullable<BigInt>,
        facilitator_id -> Nullable<BigInt>,
        open_key -> Nullable<Text>,
        version -> BigInt,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        ended_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    live_guesses (session_id, dimension_key, participant) {
        session_id -> BigInt,
        dimension_key -> Text,
        participant -> Text,
        value -> Integer,
    }
}

diesel::table! {
    live_participants (session_id, participant) {
        session_id -> BigInt,
        participant -> Text,
    }
}

diesel::table! {
    live_reveals (session_id, dimension_key) {
        session_id -> BigInt,
        dimension_key -> Text,
        position -> Integer,
        body -> Text,
    }
}

diesel::table! {
    live_counts (session_id, dimension_key) {
        session_id -> BigInt,
        dimension_key -> Text,
        guesses -> Integer,
    }
}

diesel::joinable!(live_guesses -> live_sessions (session_id));
diesel::joinable!(live_participants -> live_sessions (session_id));
diesel::joinable!(live_reveals -> live_sessions (session_id));
diesel::joinable!(live_counts -> live_sessions (session_id));
diesel::allow_tables_to_appear_in_same_query!(
    live_sessions,
    live_guesses,
    live_participants,
    live_reveals,
    live_counts,
);
