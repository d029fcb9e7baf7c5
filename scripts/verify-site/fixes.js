/**
 * verify-site: the default limits and the likely fix for each kind of failure (shared by every check).
 */
"use strict";

const DEFAULT_MIN_DAYS = 21;
const DEFAULT_TIMEOUT_MS = 10000;

/** The likely fixes, by kind of failure. */
const FIX = {
  config: "set the variable named above (the SiteVerification component passes it from stack config)",
  dns: "create the DNS A record for the host name, pointing at the Application Gateway's public IP address",
  refused:
    "open the path to the gateway: the NSG/firewall rules and the allow list must admit this machine's address, and the gateway needs an HTTPS listener on that port",
  timeout:
    "check the firewall/NSG and the gateway's allow list (they may silently drop this machine's address) and that the gateway's HTTPS listener is running",
  network: "check the network path to the gateway (firewall/NSG, allow list, gateway listener)",
  certName:
    "the certificate does not cover this host name: renew or replace the Key Vault certificate with one whose subject alternative names include it, or fix publicUrl",
  certExpired:
    "renew the certificate in Key Vault (the gateway picks up the new version of a versionless secret id)",
  certExpiring:
    "renew the certificate in Key Vault before it expires (the gateway picks up the new version of a versionless secret id)",
  certUntrusted:
    "use a certificate from a publicly trusted CA in Key Vault, with its full chain (Connect does not trust private CAs); for a private CA in tests set VPC_CA_FILE",
  tls: "fix the gateway's HTTPS listener and its Key Vault certificate (TLS handshake failed)",
  backend:
    "backend health: check the Application Gateway's backend health and its probe path, and that IIS and Vantagepoint are running on the backend",
  waf: "the gateway's WAF allow list blocks this machine: run the deploy from an allowed address or add it to the allow list",
  apiPath:
    "the API URL does not reach Vantagepoint's API: check apiUrl (usually https://host/vantagepoint/api) and the gateway's path rules",
  redirect:
    "the API answered with a redirect (a login page or the web app), not the API: check apiUrl and that nothing in front of Vantagepoint (proxy, sign-in gateway) intercepts /api/token",
};

module.exports = {
  DEFAULT_MIN_DAYS,
  DEFAULT_TIMEOUT_MS,
  FIX,
};
