"""A Vantagepoint site's Azure and Entra side from a Python Pulumi program.

The Vantagepoint side (roster, admin role, Connect API client) runs as Node.js dynamic resources, which the
engine cannot start from a Python program's folder: manage it from TypeScript (README, "Use it from your own
program").
"""

import pulumi
import pulumi_vantagepoint_connect as vpc

config = pulumi.Config()

site = vpc.ConnectSite(
    "site",
    name_prefix="vp-python",
    location="westeurope",
    resource_group=vpc.ConnectSiteResourceGroupArgs(name="rg-vp-python"),
    public_hostname="vantagepoint.contoso.com",
    # The gateway goes into the VNet that already reaches the on-premises server over VPN/ExpressRoute.
    network=vpc.ConnectSiteNetworkArgs(
        existing_virtual_network=vpc.ConnectSiteExistingNetworkArgs(
            name="vnet-hub-weu", resource_group_name="rg-network"
        ),
        gateway_subnet_prefix="10.10.8.0/24",
    ),
    backend=vpc.PublicEndpointBackendArgs(address="10.20.0.5", protocol=vpc.BackendProtocol.HTTPS),
    # The certificate already in the platform team's vault (a new vault would be empty).
    tls=vpc.ConnectSiteTlsArgs(
        key_vault=vpc.ConnectSiteKeyVaultArgs(name="kv-platform-prod", resource_group_name="rg-security"),
        certificate_name="vantagepoint-contoso-com",
    ),
    allow_list=vpc.ConnectSiteAllowListArgs(
        connect_ips=config.require_object("connectIps"),
        extra_ranges=["198.51.100.0/24"],
        enforce_at=vpc.AllowListEnforcement.BOTH,
    ),
    login_app=vpc.ConnectSiteLoginAppArgs(secret_rotated_on="2026-11-01"),
    mailbox_app=vpc.ConnectSiteMailboxAppArgs(
        access=vpc.MailboxAccessKind.GRAPH,
        secret_rotated_on="2026-11-01",
    ),
    verification=vpc.ConnectSiteVerificationArgs(
        mode=vpc.VerificationMode.ENFORCE,
        api_url="https://vantagepoint.contoso.com/vantagepoint/api",
    ),
)

pulumi.export("publicUrl", site.public_url)
pulumi.export("publicIp", site.public_ip)
pulumi.export("loginAppClientId", site.login_app_client_id)
pulumi.export("mailboxAppClientId", site.mailbox_app_client_id)
