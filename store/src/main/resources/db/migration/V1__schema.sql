-- One schema for H2 (MODE=PostgreSQL) and PostgreSQL: plain types only.
--
-- Every constraint is named, with the names PostgreSQL would give it (table_pkey, table_column_fkey, and
-- table_..._key for unique ones): H2 would otherwise invent names such as CONSTRAINT_8A, and the store reports
-- a broken constraint by its name (StoreConflictException.constraint()) the same way on both databases.

CREATE TABLE config_revision (
    id       INTEGER NOT NULL,
    revision BIGINT  NOT NULL,
    CONSTRAINT config_revision_pkey PRIMARY KEY (id)
);
INSERT INTO config_revision (id, revision) VALUES (1, 0);

CREATE TABLE organizations (
    id         VARCHAR(36)  NOT NULL,
    handle     VARCHAR(40)  NOT NULL,
    name       VARCHAR(200) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT organizations_pkey PRIMARY KEY (id),
    CONSTRAINT organizations_handle_key UNIQUE (handle)
);

-- The built-in identity provider ------------------------------------------------------------------

CREATE TABLE roles (
    id     VARCHAR(36)   NOT NULL,
    org_id VARCHAR(36)   NOT NULL,
    name   VARCHAR(100)  NOT NULL,
    scopes VARCHAR(8000) NOT NULL,
    CONSTRAINT roles_pkey PRIMARY KEY (id),
    CONSTRAINT roles_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT roles_name_key UNIQUE (org_id, name)
);

CREATE TABLE users (
    id            VARCHAR(36)  NOT NULL,
    org_id        VARCHAR(36)  NOT NULL,
    username      VARCHAR(100) NOT NULL,
    password_hash VARCHAR(300) NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT users_username_key UNIQUE (org_id, username)
);

CREATE TABLE user_roles (
    user_id VARCHAR(36) NOT NULL,
    role_id VARCHAR(36) NOT NULL,
    CONSTRAINT user_roles_pkey PRIMARY KEY (user_id, role_id),
    CONSTRAINT user_roles_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT user_roles_role_id_fkey FOREIGN KEY (role_id) REFERENCES roles (id) ON DELETE CASCADE
);

CREATE TABLE idp_api_resources (
    id         VARCHAR(36)   NOT NULL,
    org_id     VARCHAR(36)   NOT NULL,
    identifier VARCHAR(500)  NOT NULL,
    name       VARCHAR(200)  NOT NULL,
    scopes     VARCHAR(8000) NOT NULL,
    CONSTRAINT idp_api_resources_pkey PRIMARY KEY (id),
    CONSTRAINT idp_api_resources_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT idp_api_resources_identifier_key UNIQUE (org_id, identifier)
);

CREATE TABLE oauth_clients (
    id                       VARCHAR(36)   NOT NULL,
    org_id                   VARCHAR(36)   NOT NULL,
    name                     VARCHAR(200)  NOT NULL,
    client_id                VARCHAR(100)  NOT NULL,
    secret_hash              VARCHAR(200),
    grant_types              VARCHAR(1000) NOT NULL,
    authorized_scopes        VARCHAR(8000) NOT NULL,
    access_token_ttl_seconds INTEGER       NOT NULL,
    created_at               TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT oauth_clients_pkey PRIMARY KEY (id),
    CONSTRAINT oauth_clients_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT oauth_clients_client_id_key UNIQUE (org_id, client_id)
);

CREATE TABLE signing_keys (
    kid         VARCHAR(100) NOT NULL,
    org_id      VARCHAR(36)  NOT NULL,
    algorithm   VARCHAR(10)  NOT NULL,
    private_jwk TEXT         NOT NULL,
    active      BOOLEAN      NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT signing_keys_pkey PRIMARY KEY (kid),
    CONSTRAINT signing_keys_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations (id) ON DELETE CASCADE
);

-- Identity providers the gateways trust ----------------------------------------------------------

CREATE TABLE identity_providers (
    id               VARCHAR(36)   NOT NULL,
    org_id           VARCHAR(36)   NOT NULL,
    name             VARCHAR(200)  NOT NULL,
    kind             VARCHAR(20)   NOT NULL,
    issuer           VARCHAR(2000),
    jwks_uri         VARCHAR(2000),
    token_endpoint   VARCHAR(2000),
    discovery_url    VARCHAR(2000),
    client_id_claims VARCHAR(500)  NOT NULL,
    scope_claim      VARCHAR(100)  NOT NULL,
    audience         VARCHAR(2000),
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT identity_providers_pkey PRIMARY KEY (id),
    CONSTRAINT identity_providers_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT identity_providers_name_key UNIQUE (org_id, name)
);

-- APIs ------------------------------------------------------------------------------------------

CREATE TABLE apis (
    id                  VARCHAR(36)   NOT NULL,
    org_id              VARCHAR(36)   NOT NULL,
    name                VARCHAR(200)  NOT NULL,
    handle              VARCHAR(100)  NOT NULL,
    version             VARCHAR(50)   NOT NULL,
    context             VARCHAR(200)  NOT NULL,
    description         VARCHAR(4000) NOT NULL,
    lifecycle           VARCHAR(20)   NOT NULL,
    backend_production  VARCHAR(2000) NOT NULL,
    backend_development VARCHAR(2000) NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT apis_pkey PRIMARY KEY (id),
    CONSTRAINT apis_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT apis_context_key UNIQUE (org_id, context, version),
    CONSTRAINT apis_handle_key UNIQUE (org_id, handle, version)
);

CREATE TABLE api_permissions (
    api_id      VARCHAR(36)   NOT NULL,
    permission  VARCHAR(100)  NOT NULL,
    description VARCHAR(1000) NOT NULL,
    position    INTEGER       NOT NULL,
    CONSTRAINT api_permissions_pkey PRIMARY KEY (api_id, permission),
    CONSTRAINT api_permissions_api_id_fkey FOREIGN KEY (api_id) REFERENCES apis (id) ON DELETE CASCADE
);

CREATE TABLE api_resources (
    id          VARCHAR(36)   NOT NULL,
    api_id      VARCHAR(36)   NOT NULL,
    method      VARCHAR(10)   NOT NULL,
    path        VARCHAR(1000) NOT NULL,
    permissions VARCHAR(4000) NOT NULL,
    position    INTEGER       NOT NULL,
    CONSTRAINT api_resources_pkey PRIMARY KEY (id),
    CONSTRAINT api_resources_api_id_fkey FOREIGN KEY (api_id) REFERENCES apis (id) ON DELETE CASCADE,
    CONSTRAINT api_resources_route_key UNIQUE (api_id, method, path)
);

CREATE TABLE api_revisions (
    id         VARCHAR(36) NOT NULL,
    api_id     VARCHAR(36) NOT NULL,
    number     INTEGER     NOT NULL,
    definition TEXT        NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT api_revisions_pkey PRIMARY KEY (id),
    CONSTRAINT api_revisions_api_id_fkey FOREIGN KEY (api_id) REFERENCES apis (id) ON DELETE CASCADE,
    CONSTRAINT api_revisions_number_key UNIQUE (api_id, number)
);

-- Deleting an API cascades here both from the API and from its revisions. PostgreSQL would do with the first,
-- as it checks foreign keys at the end of the statement; H2 checks them row by row, and may delete a revision
-- before the deployment that points at it.
CREATE TABLE deployments (
    api_id      VARCHAR(36) NOT NULL,
    environment VARCHAR(20) NOT NULL,
    revision_id VARCHAR(36) NOT NULL,
    deployed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT deployments_pkey PRIMARY KEY (api_id, environment),
    CONSTRAINT deployments_api_id_fkey FOREIGN KEY (api_id) REFERENCES apis (id) ON DELETE CASCADE,
    CONSTRAINT deployments_revision_id_fkey FOREIGN KEY (revision_id) REFERENCES api_revisions (id) ON DELETE CASCADE
);

-- Consumers -------------------------------------------------------------------------------------

CREATE TABLE applications (
    id          VARCHAR(36)   NOT NULL,
    org_id      VARCHAR(36)   NOT NULL,
    name        VARCHAR(200)  NOT NULL,
    description VARCHAR(4000) NOT NULL,
    owner_id    VARCHAR(36)   NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT applications_pkey PRIMARY KEY (id),
    CONSTRAINT applications_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT applications_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT applications_name_key UNIQUE (org_id, owner_id, name)
);

-- An identity provider still named by a credential cannot be deleted (credentials_idp_id_fkey).
CREATE TABLE credentials (
    id             VARCHAR(36)  NOT NULL,
    application_id VARCHAR(36)  NOT NULL,
    key_type       VARCHAR(20)  NOT NULL,
    idp_id         VARCHAR(36)  NOT NULL,
    client_id      VARCHAR(200) NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT credentials_pkey PRIMARY KEY (id),
    CONSTRAINT credentials_application_id_fkey FOREIGN KEY (application_id) REFERENCES applications (id)
        ON DELETE CASCADE,
    CONSTRAINT credentials_idp_id_fkey FOREIGN KEY (idp_id) REFERENCES identity_providers (id),
    CONSTRAINT credentials_client_id_key UNIQUE (idp_id, client_id),
    CONSTRAINT credentials_key_type_key UNIQUE (application_id, key_type, idp_id)
);

CREATE TABLE subscriptions (
    id             VARCHAR(36) NOT NULL,
    application_id VARCHAR(36) NOT NULL,
    api_id         VARCHAR(36) NOT NULL,
    tier           VARCHAR(50) NOT NULL,
    status         VARCHAR(20) NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT subscriptions_pkey PRIMARY KEY (id),
    CONSTRAINT subscriptions_application_id_fkey FOREIGN KEY (application_id) REFERENCES applications (id)
        ON DELETE CASCADE,
    CONSTRAINT subscriptions_api_id_fkey FOREIGN KEY (api_id) REFERENCES apis (id) ON DELETE CASCADE,
    CONSTRAINT subscriptions_api_key UNIQUE (application_id, api_id)
);
