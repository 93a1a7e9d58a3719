/**
 * What the nginx in front of the Airbyte server answers by itself, before a request reaches
 * Micronaut:
 *
 * - the docker-compose era proxy (`basic` auth) demands HTTP basic credentials on every location
 *   (airbyte-platform `airbyte-proxy/nginx-auth.conf.template`: `auth_basic "Welcome to Airbyte"`,
 *   `error_page 401 /etc/nginx/401.html`) and serves `airbyte-proxy/401.html` on failure;
 * - any nginx (that proxy, or abctl's ingress-nginx) answers 502 with its stock page while the
 *   server behind it is not up yet (abctl installs take minutes to start).
 */
import { rawError, type ApiError } from "./errors";

/** `airbyte-proxy/401.html` (v0.50.45), served with the 401 of a failed basic-auth check. */
const BASIC_AUTH_DENIED_PAGE = `<html>
  <head>
    <meta charset="utf-8" />
    <title>Airbyte - Access Denied</title>
  </head>
  <body>
    <h1>🐙 Nope.</h1>
    <h2><code>HTTP Error Code: 401</code></h2>

    <p>
      This deployment of Airbyte is protected by HTTP Basic Authentication.
      Please refer to the <a href="https://docs.airbyte.com">Airbyte docs</a> to learn more about:
      <ul>
	      <li><a href="https://docs.airbyte.com/quickstart/deploy-airbyte">the default username/password</a></li>
	      <li><a href="https://docs.airbyte.com/operator-guides/security">securing your Airbyte deployment</a> including turning off or changing the default username/password.</li>
      </ul>
    </p>
  </body>
</html>
`;

/** nginx's built-in error page for 502 (`ngx_http_special_response.c`). */
const BAD_GATEWAY_PAGE =
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

export function basicAuthDenied(): ApiError {
    return rawError(401, BASIC_AUTH_DENIED_PAGE, { "www-authenticate": 'Basic realm="Welcome to Airbyte"' });
}

export function badGateway(): ApiError {
    return rawError(502, BAD_GATEWAY_PAGE);
}
