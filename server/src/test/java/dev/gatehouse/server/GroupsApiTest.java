package dev.gatehouse.server;

import static dev.gatehouse.server.TestGatehouse.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Groups of the built-in identity provider through the management API: admins create them, put users in them and
 * give them roles; a member holds the group's roles for the management API at once, and loses them with the group.
 */
class GroupsApiTest {

    private static TestGatehouse gh;
    private static Http http;
    private static String ada;
    private static String pat;
    private static String groups;

    @BeforeAll
    static void start() {
        gh = TestGatehouse.start();
        http = gh.http;
        ada = gh.loginDemo(DemoData.ADMIN);
        pat = gh.loginDemo(DemoData.PUBLISHER);
        groups = gh.api("/orgs/acme/idp/groups");
    }

    @AfterAll
    static void stop() {
        gh.close();
    }

    private static JsonObject newApi(String name, String context) {
        String backend = gh.url(DemoBackend.PATH);
        return new JsonObject().put("name", name).put("version", "v1").put("context", context)
                .put("backends", new JsonObject().put("development", backend).put("production", backend))
                .put("resources", new JsonArray().add(resource("GET", "/things")));
    }

    private static String field(Http.Response response) {
        return response.json().getJsonArray("errors").getJsonObject(0).getString("field");
    }

    @Test
    void aUserInAGroupWithThePublisherRole_mayPublish_untilTheGroupIsDeleted() {
        gh.created(http.post(gh.api("/orgs/acme/idp/users"), ada, new JsonObject()
                .put("username", "gwen").put("password", "gwen-password")));
        String gwen = gh.login("acme", "gwen", "gwen-password");
        Http.Response refused = http.post(gh.api("/orgs/acme/apis"), gwen, newApi("Gwen's", "/gwen"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().getString("detail"))
                .isEqualTo("this operation needs the role publisher in organization 'acme'");

        JsonObject created = gh.created(http.post(groups, ada, new JsonObject().put("name", "release-managers")));
        assertThat(created.getJsonArray("members")).isEmpty();
        gh.ok(http.put(groups + "/release-managers/members", ada,
                new JsonObject().put("usernames", new JsonArray().add("gwen"))));
        JsonObject group = gh.ok(http.put(groups + "/release-managers/roles", ada,
                new JsonObject().put("roles", new JsonArray().add("publisher"))));
        assertThat(group.getJsonArray("members")).containsExactly("gwen");
        assertThat(group.getJsonArray("roles")).containsExactly("publisher");

        gh.created(http.post(gh.api("/orgs/acme/apis"), gwen, newApi("Gwen's", "/gwen")));
        assertThat(gh.ok(http.get(gh.api("/me"), gwen)).getJsonArray("roles")).containsExactly("publisher");
        JsonObject user = http.get(gh.api("/orgs/acme/idp/users"), ada).array().stream().map(JsonObject.class::cast)
                .filter(u -> u.getString("username").equals("gwen")).findFirst().orElseThrow();
        assertThat(user.getJsonArray("roles")).isEmpty();
        assertThat(user.getJsonArray("groups")).containsExactly("release-managers");
        assertThat(user.getJsonArray("effectiveRoles")).containsExactly("publisher");

        assertThat(http.delete(groups + "/release-managers", ada).status()).isEqualTo(204);

        assertThat(http.post(gh.api("/orgs/acme/apis"), gwen, newApi("Gwen's 2", "/gwen2")).status())
                .isEqualTo(403);
        assertThat(http.get(groups, ada).array().stream().map(JsonObject.class::cast)
                .map(g -> g.getString("name"))).doesNotContain("release-managers");
        List<String> audited = http.get(gh.api("/orgs/acme/idp/audit-events"), ada).array().stream()
                .map(JsonObject.class::cast).filter(e -> "release-managers".equals(e.getString("detail")))
                .map(e -> e.getString("type")).toList();
        assertThat(audited).contains("admin.createGroup", "admin.setGroupMembers", "admin.setGroupRoles",
                "admin.deleteGroup");
    }

    @Test
    void aDuplicateOrInvalidName_isRefused_andANonAdminIsForbidden() {
        gh.created(http.post(groups, ada, new JsonObject().put("name", "auditors")));

        Http.Response duplicate = http.post(groups, ada, new JsonObject().put("name", "auditors"));
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(field(duplicate)).isEqualTo("name");
        Http.Response invalid = http.post(groups, ada, new JsonObject().put("name", "no spaces please"));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(field(invalid)).contains("name");
        Http.Response missing = http.post(groups, ada, new JsonObject());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(field(missing)).contains("name");
        assertThat(http.post(groups, pat, new JsonObject().put("name", "pats")).status()).isEqualTo(403);
        assertThat(http.get(groups, pat).status()).isEqualTo(403);
        assertThat(http.put(groups + "/auditors/roles", pat,
                new JsonObject().put("roles", new JsonArray().add("admin"))).status()).isEqualTo(403);
        assertThat(http.get(groups, ada).array().stream().map(JsonObject.class::cast)
                .map(g -> g.getString("name"))).containsOnlyOnce("auditors").doesNotContain("pats");
    }

    @Test
    void unknownMembersOrRoles_areRefusedNamingTheField_andTheGroupIsLeftAsItWas() {
        gh.created(http.post(groups, ada, new JsonObject().put("name", "support")));
        gh.ok(http.put(groups + "/support/members", ada, new JsonObject().put("usernames", new JsonArray().add("alice"))));
        gh.ok(http.put(groups + "/support/roles", ada, new JsonObject().put("roles", new JsonArray().add("subscriber"))));

        Http.Response member = http.put(groups + "/support/members", ada,
                new JsonObject().put("usernames", new JsonArray().add("pat").add("nobody")));
        assertThat(member.status()).isEqualTo(400);
        assertThat(field(member)).isEqualTo("usernames");
        assertThat(member.json().getJsonArray("errors").getJsonObject(0).getString("message"))
                .isEqualTo("unknown user 'nobody'");
        Http.Response role = http.put(groups + "/support/roles", ada,
                new JsonObject().put("roles", new JsonArray().add("admin").add("no-such-role")));
        assertThat(role.status()).isEqualTo(400);
        assertThat(field(role)).isEqualTo("roles");
        Http.Response noList = http.put(groups + "/support/members", ada, new JsonObject());
        assertThat(noList.status()).isEqualTo(400);

        JsonObject support = http.get(groups, ada).array().stream().map(JsonObject.class::cast)
                .filter(g -> g.getString("name").equals("support")).findFirst().orElseThrow();
        assertThat(support.getJsonArray("members")).containsExactly("alice");
        assertThat(support.getJsonArray("roles")).containsExactly("subscriber");
    }

    @Test
    void anUnknownGroup_is404() {
        JsonObject members = new JsonObject().put("usernames", new JsonArray());
        JsonObject roles = new JsonObject().put("roles", new JsonArray());

        assertThat(http.put(groups + "/ghosts/members", ada, members).status()).isEqualTo(404);
        assertThat(http.put(groups + "/ghosts/roles", ada, roles).status()).isEqualTo(404);
        Http.Response delete = http.delete(groups + "/ghosts", ada);
        assertThat(delete.status()).isEqualTo(404);
        assertThat(delete.json().getString("detail")).isEqualTo("no group 'ghosts'");
    }
}
