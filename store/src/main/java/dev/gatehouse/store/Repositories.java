package dev.gatehouse.store;

import java.time.Clock;
import org.jdbi.v3.core.Handle;

/** The repositories of one unit of work, all on the same connection (and transaction, for writes). */
public final class Repositories {

    private final Handle handle;
    private final Clock clock;

    Repositories(Handle handle, Clock clock) {
        this.handle = handle;
        this.clock = clock;
    }

    public OrganizationRepository organizations() {
        return new OrganizationRepository(handle, clock);
    }

    public UserRepository users() {
        return new UserRepository(handle, clock);
    }

    public RoleRepository roles() {
        return new RoleRepository(handle);
    }

    public GroupRepository groups() {
        return new GroupRepository(handle, clock);
    }

    public ApiResourceRepository apiResources() {
        return new ApiResourceRepository(handle);
    }

    public OAuthClientRepository oauthClients() {
        return new OAuthClientRepository(handle, clock);
    }

    public AuthorizationCodeRepository authorizationCodes() {
        return new AuthorizationCodeRepository(handle);
    }

    public DeviceAuthorizationRepository deviceAuthorizations() {
        return new DeviceAuthorizationRepository(handle);
    }

    public RefreshTokenRepository refreshTokens() {
        return new RefreshTokenRepository(handle);
    }

    public OpaqueAccessTokenRepository opaqueAccessTokens() {
        return new OpaqueAccessTokenRepository(handle);
    }

    public RevokedAccessTokenRepository revokedAccessTokens() {
        return new RevokedAccessTokenRepository(handle);
    }

    public AuditEventRepository auditEvents() {
        return new AuditEventRepository(handle, clock);
    }

    public ConsentRepository consents() {
        return new ConsentRepository(handle, clock);
    }

    public SigningKeyRepository signingKeys() {
        return new SigningKeyRepository(handle);
    }

    public SigningKeyPolicyRepository signingKeyPolicies() {
        return new SigningKeyPolicyRepository(handle, clock);
    }

    public IdentityProviderRepository identityProviders() {
        return new IdentityProviderRepository(handle, clock);
    }

    public ApiRepository apis() {
        return new ApiRepository(handle, clock);
    }

    public DeploymentRepository deployments() {
        return new DeploymentRepository(handle, clock);
    }

    public ApplicationRepository applications() {
        return new ApplicationRepository(handle, clock);
    }

    public CredentialRepository credentials() {
        return new CredentialRepository(handle, clock);
    }

    public SubscriptionRepository subscriptions() {
        return new SubscriptionRepository(handle, clock);
    }

    public GatewayInstanceRepository gatewayInstances() {
        return new GatewayInstanceRepository(handle, clock);
    }

    public ApiKeyRepository apiKeys() {
        return new ApiKeyRepository(handle, clock);
    }

    public GatewaySigningKeyRepository gatewaySigningKeys() {
        return new GatewaySigningKeyRepository(handle);
    }

    public AnalyticsRepository analytics() {
        return new AnalyticsRepository(handle, clock);
    }

    public TierRepository tiers() {
        return new TierRepository(handle, clock);
    }
}
