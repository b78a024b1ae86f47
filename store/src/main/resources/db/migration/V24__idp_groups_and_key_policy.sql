-- User groups of the built-in identity provider, as Asgardeo and Keycloak have them: an organization's groups,
-- users as members, and roles assigned to groups. A user's effective roles are their own and those of their
-- groups. Deleting a group, a user or a role removes the rows that name it.
CREATE TABLE idp_groups (
    id         VARCHAR(36)  NOT NULL,
    org_id     VARCHAR(36)  NOT NULL,
    name       VARCHAR(100) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT idp_groups_pkey PRIMARY KEY (id),
    CONSTRAINT idp_groups_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT idp_groups_name_key UNIQUE (org_id, name)
);

CREATE TABLE idp_group_members (
    group_id VARCHAR(36) NOT NULL,
    user_id  VARCHAR(36) NOT NULL,
    CONSTRAINT idp_group_members_pkey PRIMARY KEY (group_id, user_id),
    CONSTRAINT idp_group_members_group_id_fkey FOREIGN KEY (group_id) REFERENCES idp_groups (id) ON DELETE CASCADE,
    CONSTRAINT idp_group_members_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX idp_group_members_user_id_idx ON idp_group_members (user_id);

CREATE TABLE idp_group_roles (
    group_id VARCHAR(36) NOT NULL,
    role_id  VARCHAR(36) NOT NULL,
    CONSTRAINT idp_group_roles_pkey PRIMARY KEY (group_id, role_id),
    CONSTRAINT idp_group_roles_group_id_fkey FOREIGN KEY (group_id) REFERENCES idp_groups (id) ON DELETE CASCADE,
    CONSTRAINT idp_group_roles_role_id_fkey FOREIGN KEY (role_id) REFERENCES roles (id) ON DELETE CASCADE
);

-- An organization's policy for rotating its identity provider's signing key by age; no row: never by age. A
-- periodic check on every control-plane replica rotates when the newest key has signed for rotate_after_days.
-- rotated_from_kid is the key last rotated away from: a replica claims a rotation by setting it, in the
-- transaction that adds the new key, with a conditional UPDATE, so of replicas checking at once only one rotates.
CREATE TABLE signing_key_policies (
    org_id            VARCHAR(36)  NOT NULL,
    rotate_after_days INTEGER      NOT NULL,
    algorithm         VARCHAR(10)  NOT NULL,
    rotated_from_kid  VARCHAR(100),
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT signing_key_policies_pkey PRIMARY KEY (org_id),
    CONSTRAINT signing_key_policies_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations (id) ON DELETE CASCADE
);
