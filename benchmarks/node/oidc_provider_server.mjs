// panva's oidc-provider, configured like the embedded tenant's demo API, for benchmarks/tenant.py:
// client credentials, resource indicators (RFC 8707), RS256 JWT access tokens, 24 h lifetime.
// Usage: node oidc_provider_server.mjs PORT CLIENT_ID CLIENT_SECRET AUDIENCE
import { generateKeyPairSync, randomUUID } from "node:crypto";
import Provider from "oidc-provider";

const [port, clientId, clientSecret, audience] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;
const key = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      grant_types: ["client_credentials"],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: "client_secret_post",
    },
  ],
  ttl: { ClientCredentials: 86400 },
  jwks: { keys: [{ ...key, kid: randomUUID(), alg: "RS256", use: "sig" }] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => audience,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: "read:demo write:demo",
        audience,
        accessTokenTTL: 86400,
        accessTokenFormat: "jwt",
        jwt: { sign: { alg: "RS256" } },
      }),
    },
  },
});

const server = provider.listen(Number(port), "127.0.0.1", () => {
  console.log(`ready ${issuer}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
