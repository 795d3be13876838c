/**
 * Autonomous systems of cloud and hosting providers: a visit from one of them comes from a server
 * (a scraper, an ad network's checker, a proxy farm), not from a person at home or on a phone.
 *
 * Numbers as registered to each company in the regional internet registries (ARIN, RIPE NCC,
 * APNIC whois; the same names show on PeeringDB), and cross-read against public hosting-ASN
 * lists. Only networks whose number we are sure of are here; a provider's smaller or regional
 * ASNs are left out rather than guessed.
 *
 * Deliberately absent: Cloudflare (13335), Akamai (20940, 36183) and Fastly (54113). They carry
 * real people through Cloudflare WARP and iCloud Private Relay, so flagging them would mark
 * ordinary iPhone and WARP users as bots.
 */
export const DATACENTER_ASNS: ReadonlyMap<number, string> = new Map([
  [16509, "Amazon (AMAZON-02, AWS)"],
  [14618, "Amazon (AMAZON-AES, AWS us-east)"],
  [15169, "Google"],
  [396982, "Google Cloud Platform"],
  [8075, "Microsoft (Azure)"],
  [14061, "DigitalOcean"],
  [62567, "DigitalOcean (NY2)"],
  [16276, "OVH"],
  [24940, "Hetzner Online"],
  [63949, "Linode / Akamai Connected Cloud"],
  [20473, "Vultr (AS-CHOOPA)"],
  [45102, "Alibaba Cloud"],
  [37963, "Alibaba Cloud (Aliyun, Hangzhou)"],
  [31898, "Oracle Cloud (ORACLE-BMC)"],
  [51167, "Contabo"],
  [60781, "Leaseweb Netherlands"],
  [28753, "Leaseweb Germany"],
  [12876, "Scaleway (Online SAS)"],
  [36351, "IBM Cloud (SoftLayer)"],
  [132203, "Tencent Cloud"],
  [45090, "Tencent Cloud (Shenzhen)"],
  [136907, "Huawei Cloud"],
  [9009, "M247"],
  [36352, "ColoCrossing"],
  [47583, "Hostinger"],
  [54290, "Hostwinds"],
]);
