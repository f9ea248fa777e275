package catalog

// entries is the cause catalogue, in SPEC §4 order. Placeholders: see Vars
// and Placeholders. Write steps for someone paged at 3 a.m.: what to run,
// where, and what the answer means.
var entries = []Entry{
	// ---------------------------------------------------------------- dns
	{
		Code:     DNSNXDomain,
		Title:    "Name does not exist (NXDOMAIN)",
		Layers:   []Layer{LayerDNS},
		Severity: Fail,
		Meaning: "Every resolver asked answered NXDOMAIN: as far as DNS is concerned the name does not exist, so nothing can " +
			"connect to it. Usual causes: a typo in the URL, a record that was deleted or not created yet, a short name that " +
			"relied on a search domain, or a split-horizon (internal) name asked through a resolver that only sees the public " +
			"view. A negative answer is cached for the zone's SOA minimum TTL, so a freshly created record can keep failing for a while. " +
			"When the name is a CNAME whose target no longer exists (a dangling CNAME), the finding names that target: whoever " +
			"can create the target again (a deleted cloud bucket, app or CDN endpoint) can take over the name.",
		Evidence: []string{
			"rcode NXDOMAIN from every resolver, for A and AAAA",
			"the fully qualified name asked and the resolvers that answered",
			"the CNAME chain followed before the name that does not exist",
		},
		Remediation: []string{
			"Check the host name in the url of {{Upstream}} for typos: {{URL}} (host {{Name}}).",
			"Ask the resolver again and read the AUTHORITY section (the SOA shows which zone says no): dig {{DigServer}} {{Name}} A",
			"Follow the delegation from the root to see which server denies the name: dig +trace {{Name}} A",
			"If the name is internal (split horizon), make {{Upstream}} ask the internal resolver: set resolvers: [\"IP:53\"] for it in the graph file.",
			"If the record was just created, the resolver keeps the negative answer until the zone's negative TTL ends (the last field of the SOA in the AUTHORITY section), or until its cache is flushed (resolvectl flush-caches, unbound-control flush_negative): dig +noall +authority {{DigServer}} {{Name}} SOA",
		},
		// The name is a CNAME to a name that does not exist: the alias
		// dangles. Its steps stand in for the typo and dig steps (0, 1)
		// and the split-horizon step (3).
		Variants: []Variant{
			{
				Name:     VariantDanglingCNAME,
				Replaces: []int{0, 1, 3, 4},
				Steps: []string{
					"See the chain: {{Name}} is an alias (CNAME) of {{CNAMETarget}}, which does not exist: dig {{DigServer}} {{Name}} A +noall +answer +authority",
					"Treat it as a subdomain-takeover risk and remove or repoint the CNAME of {{Name}} now: if {{CNAMETarget}} named a cloud resource that was deleted (S3 bucket, Azure App Service, Heroku app, GitHub Pages site, CDN endpoint), whoever creates that resource again receives the traffic, cookies and TLS certificates of {{Name}}.",
					"If the target was renamed or moved, point the CNAME of {{Name}} at the new name (or replace it with A/AAAA records) and re-check: {{Check}}",
				},
			},
		},
	},
	{
		Code:     DNSServfail,
		Title:    "Resolver could not answer (SERVFAIL / REFUSED)",
		Layers:   []Layer{LayerDNS},
		Severity: Fail,
		Meaning: "A resolver answered, but with a failure, and no resolver returned the addresses. SERVFAIL means the recursive " +
			"resolver could not get a usable answer from the zone's authoritative servers: they are unreachable or lame, the " +
			"delegation is broken, or DNSSEC validation failed (expired RRSIG, DS/DNSKEY mismatch after a key rollover). " +
			"REFUSED means the server will not answer this client: recursion is not allowed from this address, or the server " +
			"asked is authoritative only and does not serve this zone.",
		Evidence: []string{
			"rcode SERVFAIL or REFUSED per resolver and query type",
			"the resolvers asked and how long each took",
		},
		Remediation: []string{
			"Repeat the query against the failing resolver: dig {{DigServer}} {{Name}} A",
			"Rule out DNSSEC: if this answers with +cd (checking disabled) while the query without it fails, validation is failing: dig {{DigServer}} {{Name}} A +cd",
			"Then check the zone's signatures and keys: dig {{DigServer}} {{Name}} DNSKEY +dnssec +multi",
			"Find the broken or lame authoritative server by following the delegation: dig +trace {{Name}} A",
			"For REFUSED: check the resolver's ACL (BIND allow-recursion, Unbound access-control) admits this host, or point resolvers: of {{Upstream}} at a resolver that serves this zone.",
		},
	},
	{
		Code:     DNSTimeout,
		Title:    "No DNS answer in time",
		Layers:   []Layer{LayerDNS},
		Severity: Fail,
		Meaning: "No resolver answered any query before the timeout. The resolver is down or overloaded, the resolver address " +
			"is wrong, UDP/TCP port 53 is blocked by a firewall or security group, or the resolver is itself stuck waiting on " +
			"slow authoritative servers. Without an address nothing below DNS can be probed.",
		Evidence: []string{
			"the resolvers asked and the error of each query (i/o timeout, connection refused)",
			"time spent waiting per query",
		},
		Remediation: []string{
			"Check that the resolver answers at all: dig {{DigServer}} . NS +time=2 +tries=1",
			"Check the TCP path too (some firewalls only pass one): dig {{DigServer}} {{Name}} A +tcp +time=2",
			"For the system resolver: check the nameserver lines of /etc/resolv.conf and the local stub: resolvectl status",
			"In a second terminal, watch whether queries leave and answers come back: sudo tcpdump -ni any port 53",
			"Then re-run the check while it watches: {{Check}}",
		},
	},
	{
		Code:     DNSNoRecords,
		Title:    "Name exists but has no address records (NODATA)",
		Layers:   []Layer{LayerDNS},
		Severity: Fail,
		Meaning: "The resolvers answered NOERROR with no A/AAAA records of the wanted family: the name exists (it may have " +
			"other records such as TXT or MX, or only the other address family), but there is no address to connect to. " +
			"Common after a migration that left only an AAAA (or only an A) record, with ip_family restricting the lookup, or " +
			"with a CNAME whose final target has no address.",
		Evidence: []string{
			"rcode NOERROR with an empty answer, per resolver and query type",
			"the CNAME chain followed",
			"the ip_family of the upstream",
		},
		Remediation: []string{
			"See whether the name has IPv4 addresses: dig {{DigServer}} {{Name}} A +short",
			"And whether it has IPv6 addresses: dig {{DigServer}} {{Name}} AAAA +short",
			"If the name is a CNAME, check that the final target has addresses: dig {{DigServer}} {{Name}} A +noall +answer",
			"If only the other family exists, set ip_family for {{Upstream}} to match it (ipv4, ipv6 or any), or add the missing record to the zone.",
			"Otherwise add the A/AAAA record for {{Name}} in the zone and re-check: {{Check}}",
		},
	},
	{
		Code:     DNSResolverMismatch,
		Title:    "Resolvers disagree",
		Layers:   []Layer{LayerDNS},
		Severity: Warn,
		Meaning: "Different resolvers returned different address sets for the same name. During a change this is propagation: " +
			"old answers live until their TTL ends. It is also what split-horizon DNS, GeoDNS and DNS load balancing look like " +
			"(intended), and what a stale cache or a hijacking resolver look like (not intended). Clients may reach different " +
			"backends depending on which resolver they use.",
		Evidence: []string{
			"the address set returned by each resolver",
			"rcode and TTL per resolver",
		},
		Remediation: []string{
			"Compare the answers with their remaining TTLs, resolver by resolver (see evidence): dig {{DigServer}} {{Name}} A +noall +answer",
			"Ask the authoritative servers which answer is current (the last answer of the trace is theirs): dig +trace {{Name}} A",
			"If a change is in progress, wait for the old TTL to run out, or flush the stale resolver's cache (systemd-resolved here; on Unbound, unbound-control flush with the name): resolvectl flush-caches",
			"If the difference is intended (GeoDNS, split horizon, round robin), silence it in the graph file, under policy.severity: dns.resolver_mismatch: ignore",
		},
	},
	{
		Code:     DNSResolverUnreachable,
		Title:    "DNS resolver unreachable",
		Layers:   []Layer{LayerDNS},
		Severity: Fail,
		Meaning: "No resolver could even be reached: nothing listens for DNS at the resolver's address (a UDP query comes " +
			"back as ICMP port unreachable, a TCP connect is refused), or this host has no route to it. This is not a slow " +
			"answer: the DNS server is stopped or crashed, listens on another address or port, the resolver address in the " +
			"graph or in /etc/resolv.conf is wrong or stale (a DHCP or VPN change, a removed local stub), or a firewall " +
			"rejects port 53. Without an answer nothing below DNS can be probed.",
		Evidence: []string{
			"the resolvers asked and the error of each query (connection refused, network is unreachable, no route to host)",
			"for the system resolver, each nameserver of resolv.conf that was tried",
		},
		Remediation: []string{
			"Confirm that nothing answers there (\"connection refused\" or \"no servers could be reached\" confirms it): dig {{DigServer}} . NS +time=2 +tries=1",
			"On the resolver's host, check that its DNS server (unbound, named, dnsmasq, systemd-resolved, CoreDNS) runs and listens on UDP and TCP port {{ResolverPort}}: sudo ss -lunpt 'sport = :{{ResolverPort}}'",
			"For \"no route\" or \"network is unreachable\" (a VPN or an interface that is down, a stale address from DHCP), check the route to the resolver: ip route get {{ResolverHost}}",
			"Check the address itself: the resolvers: of {{Upstream}} in the graph file, or for the system resolver the nameserver lines of /etc/resolv.conf (resolvectl status shows the per-link servers); fix it and re-check: {{Check}}",
		},
	},
	{
		Code:     DNSTruncated,
		Title:    "DNS answer truncated, TCP retry failed",
		Layers:   []Layer{LayerDNS},
		Severity: Fail,
		Meaning: "The resolver did answer over UDP, but with the TC (truncated) flag: the full answer did not fit in the UDP " +
			"message, so a client must ask again over TCP (RFC 7766 makes DNS over TCP mandatory) — and that retry failed. " +
			"Usually a firewall, security group or load balancer that passes only UDP port 53, a DNS server or forwarder " +
			"that does not listen on TCP, or an answer grown large (many A/AAAA records, long TXT records, DNSSEC " +
			"signatures). Clients that cannot use TCP get no addresses at all.",
		Evidence: []string{
			"the TC flag on the UDP answer, per resolver and query type",
			"the error of the retry over TCP (connection refused, timeout, reset)",
		},
		Remediation: []string{
			"See the truncated UDP answer (flags: qr tc ...): dig {{DigServer}} {{Name}} A +ignore +bufsize=1232",
			"Then ask the same question over TCP: dig {{DigServer}} {{Name}} A +tcp",
			"Let DNS over TCP through to the resolver: allow TCP port {{ResolverPort}} to {{ResolverHost}} in firewalls and security groups, and check the server listens on TCP: sudo ss -ltnp 'sport = :{{ResolverPort}}'",
			"Make the answer fit in UDP again: publish fewer A/AAAA records for {{Name}} (DNS round robin with dozens of addresses), shorten large TXT records, or serve it from a name with a smaller record set.",
			"Re-check once TCP works: {{Check}}",
		},
	},
	{
		Code:     DNSCNAMELoop,
		Title:    "CNAME chain loops or is too long",
		Layers:   []Layer{LayerDNS},
		Severity: Fail,
		Meaning: "Following the name's CNAME records never ends at an address: the chain comes back to a name it already " +
			"passed (a → b → a), or it is longer than 8 links, more than resolvers and clients are willing to follow. It " +
			"happens when two records, often in different zones or managed by different teams, are edited to point at each " +
			"other during a migration, or when aliases are layered on aliases. No client can connect to the name.",
		Evidence: []string{
			"the CNAME chain as the resolver returned it, the name it loops back to",
			"the number of links, per resolver and query type",
		},
		Remediation: []string{
			"See the chain the resolver returns: dig {{DigServer}} {{Name}} A +noall +answer",
			"Ask each name of the chain (see the message) for its own CNAME to find the record that points back, starting with: dig {{DigServer}} {{Name}} CNAME +short",
			"Fix that record: point it at the real target, or make the last name of the chain an A/AAAA record; keep chains short (8 links at most).",
			"Flush the cached records (systemd-resolved here; on Unbound, unbound-control flush with the name): resolvectl flush-caches",
			"Re-check: {{Check}}",
		},
	},

	// ---------------------------------------------------------------- tcp
	{
		Code:     TCPRefused,
		Title:    "Connection refused",
		Layers:   []Layer{LayerTCP},
		Severity: Fail,
		Meaning: "The host is reachable but answered the connection attempt with a reset: nothing is listening on that port. " +
			"The process is down or crash-looping, listens on another port, or is bound to 127.0.0.1 or another interface " +
			"only; less often a firewall REJECT rule answers for it.",
		Evidence: []string{
			"the target address (IP:PORT) and the error (connect: connection refused)",
			"connect time (a refusal is fast: it comes from the host or a firewall, not a timeout)",
		},
		Remediation: []string{
			"Confirm from this machine: nc -vz {{TargetHost}} {{TargetPort}}",
			"Check that {{Upstream}} is running and listening on port {{TargetPort}} (run on {{TargetHost}}): ss -ltnp 'sport = :{{TargetPort}}'",
			"If it is not running, read why it stopped in its last log lines (SERVICE: its systemd unit; in Kubernetes, kubectl logs POD --previous): journalctl -u SERVICE -n 100",
			"{{unless LoopbackTarget}}If it listens only on 127.0.0.1 or another address, fix its bind address (0.0.0.0:{{TargetPort}} or the right interface).",
			"If something does listen on the right address, look for a firewall REJECT rule (with nftables, sudo nft list ruleset): sudo iptables -S | grep -- '--dport {{TargetPort}}'",
		},
		Variants: []Variant{
			{
				Name: VariantProxyRefused,
				Steps: []string{
					"Ask through the same proxy, as updoc did, and read what it answers: curl -sv --max-time 10 -o /dev/null {{CurlProxyRequest}}",
					"Read the proxy's log at the time of the check: it names the error it met connecting to {{HostPort}} (Squid's logs here; other proxies: their error log): grep {{Host}} /var/log/squid/access.log /var/log/squid/cache.log",
					"On the proxy's host ({{ProxyAddress}}), check that {{HostPort}} accepts connections from there: nc -vz {{Host}} {{Port}}",
					"If it refuses there too, the service is down or listens elsewhere; see what listens, on {{Host}}: ss -ltnp 'sport = :{{Port}}'",
				},
				Replaces: []int{0, 1, 2, 3, 4},
			},
		},
	},
	{
		Code:     TCPTimeout,
		Title:    "Connect timed out",
		Layers:   []Layer{LayerTCP},
		Severity: Fail,
		Meaning: "The connection attempt got no answer at all before the timeout: packets are silently dropped (firewall DROP " +
			"rule, security group, network ACL), the address belongs to no live host, a route sends packets into a black hole, " +
			"or the server's accept queue is overflowing and it drops new SYNs.",
		Evidence: []string{
			"the target address and the time waited",
			"the error (i/o timeout, context deadline exceeded)",
		},
		Remediation: []string{
			"Retry with a short timeout: nc -vz -w 3 {{TargetHost}} {{TargetPort}}",
			"See where packets stop: traceroute -T -p {{TargetPort}} {{TargetHost}}",
			"Check firewalls, security groups and network ACLs between this host and {{TargetHost}} allow TCP {{TargetPort}} from here.",
			"On the server, look for accept-queue overflow (counters that grow between two runs): nstat -az TcpExtListenOverflows TcpExtListenDrops",
			"And compare its listen queue with the backlog (Recv-Q close to Send-Q means the backlog is full): ss -ltn 'sport = :{{TargetPort}}'",
		},
		Variants: []Variant{
			{
				Name: VariantProxyTimeout,
				Steps: []string{
					"Ask through the same proxy, as updoc did, and read what it answers: curl -sv --max-time 10 -o /dev/null {{CurlProxyRequest}}",
					"Read the proxy's log at the time of the check: it names the error it met connecting to {{HostPort}} (Squid's logs here; other proxies: their error log): grep {{Host}} /var/log/squid/access.log /var/log/squid/cache.log",
					"On the proxy's host ({{ProxyAddress}}), retry with a short timeout: nc -vz -w 3 {{Host}} {{Port}}",
					"Firewalls, security groups and ACLs between the proxy and {{Host}} must allow TCP {{Port}} from the proxy (not from this machine).",
				},
				Replaces: []int{0, 1, 2, 3, 4},
			},
		},
	},
	{
		Code:     TCPUnreachable,
		Title:    "Host or network unreachable",
		Layers:   []Layer{LayerTCP},
		Severity: Fail,
		Meaning: "The local kernel or a router reported that the address cannot be reached (no route to host, network is " +
			"unreachable): the host is down on the local subnet (no ARP reply), there is no route to that network (VPN down, " +
			"missing route), the address is stale, or it is an IPv6 address and this host has no IPv6 connectivity.",
		Evidence: []string{
			"the target address and the error (connect: no route to host / network is unreachable)",
		},
		Remediation: []string{
			"Check the local route to the address: ip route get {{TargetHost}}",
			"Check whether the host answers: ping -c 3 {{TargetHost}}",
			"See where the path stops: traceroute {{TargetHost}}",
			"If the address is stale, compare it with what DNS says now (AAAA instead of A for an IPv6 address): dig {{DigServer}} {{Name}} A +short",
			"If it is an IPv6 address and this host has no IPv6 route, set ip_family: ipv4 for {{Upstream}} or fix IPv6 connectivity; if it sits behind a VPN, bring the VPN up.",
		},
		Variants: []Variant{
			{
				Name: VariantProxyUnreachable,
				Steps: []string{
					"Ask through the same proxy, as updoc did, and read what it answers: curl -sv --max-time 10 -o /dev/null {{CurlProxyRequest}}",
					"Read the proxy's log at the time of the check: it names the error it met connecting to {{HostPort}} (Squid's logs here; other proxies: their error log): grep {{Host}} /var/log/squid/access.log /var/log/squid/cache.log",
					"On the proxy's host ({{ProxyAddress}}), check its route to the service; the proxy's path to {{Host}} is the one that failed, not this machine's (which reaches the proxy): ip route get $(getent hosts {{Host}} | cut -d' ' -f1 | head -n1)",
					"Then connect from there: nc -vz -w 3 {{Host}} {{Port}}",
				},
				Replaces: []int{0, 1, 2, 3, 4},
			},
		},
	},

	// ---------------------------------------------------------------- tls
	{
		Code:     TLSHandshakeFailed,
		Title:    "TLS handshake failed",
		Layers:   []Layer{LayerTLS},
		Severity: Fail,
		Meaning: "No TLS session could be set up. The port speaks plain HTTP or another protocol; the server sent an alert " +
			"(no common protocol version or cipher suite, no certificate for the server name sent as SNI — or for no name at all: " +
			"TLS clients send none when the url names an IP address —, a client certificate required); or the connection was " +
			"reset or closed during the handshake (often a middlebox, or a server with no TLS config for the name). A server that " +
			"speaks only TLS 1.0 or 1.1, or only legacy cipher suites, fails here too: updoc, like current browsers and Go, " +
			"requires TLS 1.2 or later (RFC 8996) and modern suites, and names what such a server speaks from a second " +
			"handshake that offers the old ones.",
		Evidence: []string{
			"the error: first bytes not TLS (record header), TLS alert name, EOF or reset, timeout",
			"the server name (SNI) sent and the target address, or sni_sent false when the url names an IP address",
			"the TLS version and cipher suite the server chose when also offered TLS 1.0, 1.1 and legacy suites",
		},
		Remediation: []string{
			"Reproduce and read the alert: openssl s_client -connect {{Target}} {{SNIFlag}} </dev/null",
			"If the server answered with plain HTTP, the port is not TLS: use http://{{HostPort}} in the url of {{Upstream}}, or the port that serves TLS.",
			"See which protocol versions and cipher suites the server accepts: nmap --script ssl-enum-ciphers -p {{TargetPort}} {{TargetHost}}",
			"Without nmap, try one version at a time (then -tls1_3; for TLS 1.0, -tls1 -cipher 'DEFAULT:@SECLEVEL=0'): openssl s_client -connect {{Target}} {{SNIFlag}} -tls1_2 </dev/null",
			"If the server requires a client certificate (alert certificate required / bad certificate), set tls.cert_file and tls.key_file for {{Upstream}}.",
		},
		// The server asked for a client certificate and ended the
		// handshake: the step on tls.cert_file (3) becomes the first.
		Variants: []Variant{
			{
				Name:     VariantClientCertMissing,
				Replaces: []int{4},
				Steps: []string{
					"Give updoc a client certificate the server accepts: set tls.cert_file and tls.key_file for {{Upstream}} (PEM files; the certificate must be issued by a CA the server trusts for client authentication).",
				},
			},
			{
				Name:     VariantClientCertRejected,
				Replaces: []int{4},
				Steps: []string{
					"The certificate in tls.cert_file ({{CertFile}}) of {{Upstream}} was rejected: check it is issued by a CA the server trusts for client authentication, not expired, and allowed for clientAuth: openssl x509 -in {{CertFileArg}} -noout -subject -issuer -dates -ext extendedKeyUsage",
				},
			},
			// The url names an IP address, so no SNI was sent, and the
			// server ended the handshake: the name is what is missing.
			{
				Name:     VariantNoSNI,
				Replaces: []int{0, 1, 2, 3, 4},
				Steps: []string{
					"Set tls.server_name for {{Upstream}} to a name the server serves, keeping the IP address in the url; updoc then sends it as SNI and verifies the certificate for it. (No SNI was sent: TLS clients send none for an IP address, RFC 6066 §3.)",
					"Reproduce without a server name, as updoc connected: openssl s_client -connect {{Target}} </dev/null",
					"Then with one (NAME: a host name the server serves): openssl s_client -connect {{Target}} -servername NAME </dev/null",
					"If the server should also answer clients that connect by IP address, give it a default certificate (nginx: a default_server block with ssl_certificate instead of ssl_reject_handshake on; Envoy: a filter chain without server_names).",
				},
			},
			// A second handshake that offered TLS 1.0 and 1.1 succeeded
			// with one of them.
			{
				Name:     VariantLegacyVersion,
				Replaces: []int{0, 1, 2, 3, 4},
				Steps: []string{
					"See the protocol versions and cipher suites the server accepts: nmap --script ssl-enum-ciphers -p {{TargetPort}} {{TargetHost}}",
					"Or with OpenSSL, which allows TLS 1.0 and 1.1 only at security level 0 (version 3): this connects (-tls1_1 for TLS 1.1): openssl s_client -connect {{Target}} {{SNIFlag}} -tls1 -cipher 'DEFAULT:@SECLEVEL=0' </dev/null",
					"While TLS 1.2 fails: openssl s_client -connect {{Target}} {{SNIFlag}} -tls1_2 </dev/null",
					"Enable TLS 1.2 and 1.3 on the server (nginx: ssl_protocols TLSv1.2 TLSv1.3; Apache: SSLProtocol -all +TLSv1.2 +TLSv1.3; HAProxy: ssl-min-ver TLSv1.2), or upgrade the TLS library or firmware that lacks them, or put a TLS-terminating proxy in front of it. TLS 1.0 and 1.1 are deprecated (RFC 8996), and updoc does not offer them.",
				},
			},
			// A second handshake that offered every cipher suite succeeded
			// at TLS 1.2 or later with a suite Go does not offer by default.
			{
				Name:     VariantLegacyCipher,
				Replaces: []int{0, 1, 2, 3, 4},
				Steps: []string{
					"See the cipher suites the server accepts: nmap --script ssl-enum-ciphers -p {{TargetPort}} {{TargetHost}}",
					"Or with OpenSSL: the handshake fails without -cipher and, with every suite allowed, connects and prints the suite the server chose: openssl s_client -connect {{Target}} {{SNIFlag}} -tls1_2 -cipher 'ALL:@SECLEVEL=0' </dev/null",
					"Enable ECDHE suites with AES-GCM or ChaCha20-Poly1305 on the server (Mozilla's intermediate configuration, https://ssl-config.mozilla.org/, lists them for nginx, Apache, HAProxy and others). RSA key exchange, CBC-SHA256 and 3DES suites are not offered by default by Go clients (RSA key exchange since Go 1.22, 3DES since Go 1.23), updoc among them.",
				},
			},
			// The ordinary handshake and the legacy one (every version and
			// suite Go implements) were both refused with handshake failure.
			{
				Name:     VariantNoCommonCipher,
				Replaces: []int{0, 1, 2, 3, 4},
				Steps: []string{
					"See the protocol versions and cipher suites the server accepts: nmap --script ssl-enum-ciphers -p {{TargetPort}} {{TargetHost}}",
					"Or with OpenSSL, which prints the suite the server chose when it shares one: openssl s_client -connect {{Target}} {{SNIFlag}} -tls1_2 -cipher 'ALL:@SECLEVEL=0' </dev/null",
					"Enable ECDHE suites with AES-GCM or ChaCha20-Poly1305 on the server (Mozilla's intermediate configuration, https://ssl-config.mozilla.org/, lists them for nginx, Apache, HAProxy and others): Go, updoc among its clients, implements no DHE (finite-field Diffie-Hellman), CCM, CAMELLIA or ARIA suites.",
					"If the server answers with a server name (NAME: a host name it serves) and not without one, it wants SNI; then set tls.server_name for {{Upstream}} to that name. Try it: openssl s_client -connect {{Target}} -servername NAME </dev/null",
				},
			},
		},
	},
	{
		Code:     TLSCertExpired,
		Title:    "Certificate expired",
		Layers:   []Layer{LayerTLS},
		Severity: Fail,
		Meaning: "The leaf certificate, or a certificate of the chain the server sends, is past its not_after date; every " +
			"verifying client refuses the connection. Usually renewal automation failed (certbot, cert-manager, ACME challenge " +
			"broken), the certificate was renewed but the server was not reloaded, one replica still serves the old one, or " +
			"the bundle carries an expired intermediate.",
		Evidence: []string{
			"subject, SANs, issuer, not_before, not_after and days_left of the expired certificate",
			"which certificate of the chain expired (leaf or intermediate)",
		},
		Remediation: []string{
			"See exactly what is served: openssl s_client -connect {{Target}} {{SNIFlag}} </dev/null | openssl x509 -noout -dates -subject -ext subjectAltName",
			"Renew it: certbot renew --cert-name {{ServerName}}",
			"With cert-manager, see why it was not renewed (then its certificaterequests, orders and challenges): kubectl describe certificate -A",
			"If the file on disk is already renewed, reload the server so it serves it (e.g. sudo systemctl reload nginx) and check every replica again: {{Check}}",
			"If the leaf is valid but an intermediate expired, replace the chain bundle with the CA's current intermediates: openssl s_client -connect {{Target}} {{SNIFlag}} -showcerts </dev/null",
		},
		// The expired certificate is an intermediate the server sent.
		Variants: []Variant{{
			Name:     VariantChainCertExpired,
			Replaces: []int{0, 1, 2, 4},
			Steps: []string{
				"Replace the expired intermediate in the server's chain file with the CA's current intermediate (from the CA's repository, or as your ACME client fetches it with each certificate), keeping the leaf first.",
				"See every certificate the server sends, with its dates (the v: lines of the chain; OpenSSL 3): openssl s_client -connect {{Target}} {{SNIFlag}} -showcerts </dev/null",
			},
		}},
	},
	{
		Code:     TLSCertNotYetValid,
		Title:    "Certificate not yet valid",
		Layers:   []Layer{LayerTLS},
		Severity: Fail,
		Meaning: "The certificate's not_before date is in the future for this host's clock. Either this machine's clock is " +
			"behind (NTP not running, VM restored from a snapshot), or a certificate was deployed before its validity starts.",
		Evidence: []string{
			"not_before and not_after of the certificate, and the local time of the check",
		},
		Remediation: []string{
			"Check this host's clock and whether it is synchronised: timedatectl status",
			"And how far it is from its time source (chrony here; ntpd: ntpq -p): chronyc tracking",
			"Compare with the certificate: openssl s_client -connect {{Target}} {{SNIFlag}} </dev/null | openssl x509 -noout -dates -subject",
			"If the clock is right, the certificate was deployed too early: serve the previous certificate until not_before, or reissue one valid from now.",
		},
	},
	{
		Code:     TLSCertExpiring,
		Title:    "Certificate expires soon",
		Layers:   []Layer{LayerTLS},
		Severity: Warn,
		Meaning: "The leaf certificate, or a certificate of the verified chain that the server sends (an intermediate), is valid " +
			"now but expires within expect.cert_min_days days of the upstream. With automated renewal (ACME certificates are " +
			"renewed 30 days ahead) a leaf this close to expiry usually means the renewal is failing silently; an intermediate " +
			"this close means the chain file still carries one its CA has replaced.",
		Evidence: []string{
			"not_after and days_left of the certificate, and the cert_min_days threshold",
			"which certificate of the chain it is (leaf or intermediate)",
		},
		Remediation: []string{
			"Check the dates served: openssl s_client -connect {{Target}} {{SNIFlag}} </dev/null | openssl x509 -noout -dates -subject -ext subjectAltName",
			"Check the renewal automation (and that its timer runs, in systemctl list-timers): certbot renew --dry-run",
			"With cert-manager, see why it has not renewed: kubectl describe certificate -A",
			"Renew, reload the server and re-check: {{Check}}",
			"If this lead time is normal for this certificate, lower expect.cert_min_days for {{Upstream}} (now {{CertMinDays}}).",
		},
		// The certificate that expires soon is an intermediate the server
		// sends, not the leaf: renewing the leaf does not help.
		Variants: []Variant{{
			Name:     VariantChainCertExpiring,
			Replaces: []int{0, 1, 2, 3},
			Steps: []string{
				"Replace the intermediate in the server's chain file with the CA's current one, keeping the leaf first (CAs publish the successor before the old one expires, and ACME clients fetch it with each certificate, so a forced renewal does it): certbot renew --force-renewal",
				"See every certificate the server sends, with its dates (the v: lines of the chain; OpenSSL 3): openssl s_client -connect {{Target}} {{SNIFlag}} -showcerts </dev/null",
				"Reload the server and re-check: {{Check}}",
			},
		}},
	},
	{
		Code:     TLSHostnameMismatch,
		Title:    "Certificate does not cover the server name",
		Layers:   []Layer{LayerTLS},
		Severity: Fail,
		Meaning: "The certificate's subjectAltNames do not include the name asked for (SNI). The server sent a default or " +
			"another site's certificate because it has none configured for this name, the URL uses an alias or an IP address " +
			"that is not on the certificate, or a wildcard is expected to cover more than one label (*.example.com does not " +
			"cover a.b.example.com).",
		Evidence: []string{
			"the server name asked for, and the subject and SANs of the certificate received",
		},
		Remediation: []string{
			"List the names the served certificate covers: openssl s_client -connect {{Target}} {{SNIFlag}} </dev/null | openssl x509 -noout -subject -ext subjectAltName",
			"If another site's certificate comes back, the server has no certificate for {{ServerName}}: add it to the vhost (nginx server_name + ssl_certificate) or the ingress tls hosts.",
			"If the url uses an alias or IP, use a name that is on the certificate in the url of {{Upstream}}, or set tls.server_name to it.",
			"Otherwise reissue the certificate with {{ServerName}} in its subjectAltName.",
		},
		// The certificate has a common name and no subjectAltName: clients
		// no longer read the common name.
		Variants: []Variant{{
			Name:     VariantNoSAN,
			Replaces: []int{1, 2, 3},
			Steps: []string{
				"Reissue the certificate with {{ServerName}} in a subjectAltName (the common name alone is ignored by Go since 1.15, Chrome since 58, and RFC 9525), and have your CA sign the request with the extension kept (ACME clients and cert-manager always set it); the request: openssl req -new -key server.key -subj '/CN={{ServerName}}' -addext 'subjectAltName={{SubjectAltName}}' -out server.csr",
				"Check the new certificate before deploying it: openssl x509 -in server.crt -noout -subject -ext subjectAltName",
			},
		}},
	},
	{
		Code:     TLSUntrusted,
		Title:    "Certificate not trusted",
		Layers:   []Layer{LayerTLS},
		Severity: Fail,
		Meaning: "The chain does not lead to a trusted root: the certificate is self-signed, it is issued by a private CA this " +
			"host does not trust, or the server sends the leaf without the intermediate certificates (works in browsers that " +
			"cache intermediates, fails everywhere else).",
		Evidence: []string{
			"the subject and issuer of every certificate sent, and whether the leaf is self-signed",
			"when the chain is incomplete: the issuer the server did not send (missing_issuer)",
		},
		Remediation: []string{
			"Show the chain the server sends: openssl s_client -connect {{Target}} {{SNIFlag}} -showcerts </dev/null",
			"If intermediates are missing, configure the full chain on the server (leaf followed by intermediates, e.g. nginx ssl_certificate fullchain.pem).",
			"If it is a private CA, trust it for this check: set tls.ca_file for {{Upstream}}, and verify with: openssl s_client -connect {{Target}} {{SNIFlag}} -CAfile CA.pem -verify_return_error </dev/null",
			"If it is self-signed, replace it with a certificate from your CA or ACME; insecure_skip_verify only hides the problem.",
		},
		Variants: []Variant{
			// The chain sent stops at a certificate whose issuer was not
			// sent and is no trusted root: most often a missing
			// intermediate.
			{
				Name:     VariantChainIncomplete,
				Replaces: []int{0, 1, 2, 3},
				Steps: []string{
					"Make the server send its intermediate certificates after the leaf, and reload it (for nginx, ssl_certificate with fullchain.pem; Apache, SSLCertificateFile with the chain appended; HAProxy, crt with leaf, intermediates and key; Kubernetes, a TLS secret whose tls.crt holds leaf then intermediates).",
					"See the issuer that was not sent, and where the leaf says its certificate is published (CA Issuers in Authority Information Access): openssl s_client -connect {{Target}} {{SNIFlag}} </dev/null | openssl x509 -noout -issuer -ext authorityInfoAccess",
					"Check the bundle before deploying it: openssl verify -CAfile ROOT.pem -untrusted intermediates.pem leaf.pem",
					"Only if the missing issuer is a root CA you trust, not an intermediate, add its certificate to tls.ca_file of {{Upstream}} instead.",
				},
			},
			// tls.ca_file is set (do not tell to set it): the chain leads
			// to none of its CAs.
			{
				Name:     VariantCAFileUntrusted,
				Replaces: []int{2},
				Steps: []string{
					"{{unless LabCAFile}}The chain leads to none of the CAs in tls.ca_file of {{Upstream}} ({{CAFile}}); compare the issuer the chain ends at with the CAs in the file: openssl crl2pkcs7 -nocrl -certfile {{CAFileArg}} | openssl pkcs7 -print_certs -noout",
					"{{unless LabCAFile}}Add the right CA to the file, and verify: openssl s_client -connect {{Target}} {{SNIFlag}} -CAfile {{CAFileArg}} -verify_return_error </dev/null",
				},
			},
			// No tls.ca_file, and the chain sent is whole up to a CA this
			// host does not trust: trusting that CA is the fix.
			{
				Name:     VariantUntrustedRoot,
				Replaces: []int{2},
				Steps: []string{
					"If the CA the chain ends at (see the message) is your organisation's private CA, trust it for this check: set tls.ca_file for {{Upstream}} to a PEM file holding its certificate, and verify with: openssl s_client -connect {{Target}} {{SNIFlag}} -CAfile CA.pem -verify_return_error </dev/null",
					"If it is a public CA, this host's trust store lacks it: install or update the system CA bundle (Debian/Ubuntu: the ca-certificates package, then update-ca-certificates; RHEL/Fedora: update-ca-trust), or set tls.ca_file for {{Upstream}} to a file that holds it.",
				},
			},
		},
	},

	// ---------------------------------------------------------------- http
	{
		Code:                  HTTPTimeout,
		Title:                 "No HTTP response in time",
		Layers:                []Layer{LayerHTTP},
		Severity:              Fail,
		ExplainedByDependency: true,
		Meaning: "The connection (and TLS) worked, but the response headers did not arrive before the timeout, or the body " +
			"stalled after them. The application is stuck: worker or connection pool exhausted, a lock or deadlock, long GC " +
			"pauses, or it is waiting on a slow dependency of its own.",
		Evidence: []string{
			"the target, method and URL, and how long the request waited",
			"whether headers arrived (body stalled) or not",
		},
		Remediation: []string{
			"Time the phases: curl -sS -o /dev/null --max-time 30 -w 'connect %{time_connect}s tls %{time_appconnect}s ttfb %{time_starttransfer}s total %{time_total}s\\n' {{CurlRequest}}",
			"{{unless NoGraph}}Check what {{Upstream}} depends on (a slow or failing dependency often shows up here first): {{GraphCheck}}",
			"On the server, look for saturated worker pools, blocked threads or GC pauses (thread dump, /debug/pprof/goroutine?debug=2, slow query log).",
			"If the endpoint is legitimately slow, raise timeout for {{Upstream}} in the graph file, and give it a cheap health endpoint.",
		},
	},
	{
		Code:                  HTTPUnavailable,
		Title:                 "Service unavailable (503)",
		Layers:                []Layer{LayerHTTP},
		Severity:              Fail,
		ExplainedByDependency: true,
		Meaning: "The service itself answered 503: it is up but refuses work for now: overloaded, in maintenance mode, not " +
			"ready (readiness failing, warming up), or a dependency it needs is down. Retry-After, when present, says when to " +
			"try again.",
		Evidence: []string{
			"status 503, Retry-After, Server header, the start of the body",
		},
		Remediation: []string{
			"Read the whole answer, the body often names the reason: curl -sS -i {{CurlRequest}}",
			"{{unless NoGraph}}Check the service's dependencies: {{GraphCheck}}",
			"Check its logs and load around now (CPU, memory, queue depth, readiness probe); scale out or shed load if it is overloaded.",
			"If it is in planned maintenance, wait until it is over{{RetryAfterNote}} and re-check: {{Check}}",
		},
		Variants: []Variant{{
			Name:     VariantGo503OrTraefik,
			Replaces: []int{0},
			Steps: []string{
				"Tell who answered (a bare \"Service Unavailable\" is what a Go service writes with http.StatusText(503) and also what Traefik's CircuitBreaker middleware answers while open); ask the service directly, bypassing any proxy: updoc probe {{BackendURL}}",
				"If it answers there, the 503 is Traefik's; see its limits: {{ProxyLimits}}",
			},
		}},
	},
	{
		Code:                  HTTPServerError,
		Title:                 "Server error (5xx)",
		Layers:                []Layer{LayerHTTP},
		Severity:              Fail,
		ExplainedByDependency: true,
		Meaning: "The service answered with a 5xx status other than 502/503/504 (usually 500: an unhandled exception), or " +
			"closed the connection without a complete response. The fault is in the service or in something it calls.",
		Evidence: []string{
			"status code, Server header, the start of the body (often the error message)",
			"or the error when the connection closed without a response",
		},
		Remediation: []string{
			"Look at the full answer: curl -sS -i {{CurlRequest}}",
			"Find the stack trace in the service's logs at the time of the check (search for the request id header if it sends one).",
			"If it started with a deploy, roll back{{AndItsDependencies}}",
		},
	},
	{
		Code:     HTTPAuthFailed,
		Title:    "Authentication or authorisation failed",
		Layers:   []Layer{LayerHTTP},
		Severity: Fail,
		Meaning: "The service answered 401 (no or bad credentials), 407 (a proxy wants credentials) or 403 (credentials " +
			"accepted but not allowed, or blocked by an IP allowlist or WAF). Tokens expire and get rotated; the header the " +
			"check sends may hold an old one.",
		Evidence: []string{
			"status code, WWW-Authenticate / Proxy-Authenticate challenge",
		},
		Remediation: []string{
			"See the challenge: curl -sS -i {{CurlRequest}} | grep -i -E '^(HTTP|www-authenticate|proxy-authenticate)'",
			"Check the credentials {{Upstream}} sends (headers: Authorization, API keys): are the ${VAR}s set, current and for the right environment?",
			"For 403: check the token's scopes or roles, IP allowlists and WAF rules for this host's source address.",
			"If this status is what an unauthenticated health check should get, add it to expect.status for {{Upstream}}.",
		},
		Variants: []Variant{
			{
				Name: VariantProxyCredentialsMissing,
				Steps: []string{
					"See the proxy's challenge (the schemes it accepts): curl -sv -o /dev/null {{CurlProxyRequest}} 2>&1 | grep -i -E '^< (HTTP|proxy-authenticate)'",
					"Give the proxy's credentials in its URL, http://USER:PASSWORD@{{ProxyAddress}} (in the proxy key of {{Upstream}}, or in the variable it is read from); percent-encode @ : / in the password. updoc sends them as Proxy-Authorization: Basic.",
					"If the proxy accepts only NTLM or Negotiate (Kerberos), run a local helper that speaks it (cntlm, px) and point the proxy URL at it.",
				},
				Replaces: []int{0, 1, 2, 3},
			},
			{
				Name: VariantProxyCredentialsRejected,
				Steps: []string{
					"Try the same credentials by hand (curl asks for the password): curl -sv -o /dev/null {{CurlProxyRequest}} 2>&1 | grep -i -E '^< (HTTP|proxy-authenticate)'",
					"Check the user name {{ProxyUser}} and its password in the proxy URL ({{Proxy}} with {{ProxyUser}}:[redacted]) with the proxy's admin: expired, locked, or a password with @ : / not percent-encoded.",
					"If the proxy accepts only NTLM or Negotiate (Kerberos), Basic credentials are refused whatever they are: run a local helper that speaks it (cntlm, px) and point the proxy URL at it.",
				},
				Replaces: []int{0, 1, 2, 3},
			},
			{
				Name: VariantProxyForbidden,
				Steps: []string{
					"Ask through the same proxy and read its refusal: curl -sv -o /dev/null {{CurlProxyRequest}}",
					"The proxy's rules do not let this client reach {{HostPort}}: ask its admin to allow it (squid: http_access and acl lines, the port in SSL_ports/Safe_ports; Dante: the socks pass rules), or use the proxy meant for this destination.",
				},
				Replaces: []int{0, 1, 2, 3},
			},
		},
	},
	{
		Code:     HTTPRateLimited,
		Title:    "Rate limited (429)",
		Layers:   []Layer{LayerHTTP},
		Severity: Fail,
		Meaning: "The service answered 429 Too Many Requests: this client (or its address, token or tenant) is over its quota. " +
			"Retry-After, when present, says when the limit resets.",
		Evidence: []string{
			"status 429, Retry-After and RateLimit-* headers",
		},
		Remediation: []string{
			"Read the limit headers: curl -sS -i {{CurlRequest}} | grep -i -E '^(HTTP|retry-after|x?-?ratelimit)'",
			"Probe less: lower samples for {{Upstream}} or raise the --interval of watch/serve, and wait until the limit resets{{RetryAfterNote}}.",
			"Ask for a higher quota or a dedicated token for health checks.",
		},
	},
	{
		Code:     HTTPUnexpectedStatus,
		Title:    "Unexpected status",
		Layers:   []Layer{LayerHTTP},
		Severity: Fail,
		Meaning: "The status is outside expect.status (any 2xx or 3xx unless the graph sets it) and is not one of the more specific causes. " +
			"404 usually means a wrong path or a moved endpoint, 405 a wrong method, 400 a malformed request (missing header, " +
			"bad body), a 3xx with follow_redirects: false a redirect nobody followed.",
		Evidence: []string{
			"status code and expected statuses, method and URL, Location header, the start of the body",
		},
		Remediation: []string{
			"Look at the answer: curl -sS -i {{CurlRequest}}",
			"Check the path ({{Path}}), method and headers of {{Upstream}} against the service's API; a 404 after a deploy often means a moved endpoint.",
			"If the status is legitimate for this endpoint, add it to expect.status for {{Upstream}}.",
		},
		Variants: []Variant{{
			Name:     VariantGo404OrTraefik,
			Replaces: []int{},
			Steps: []string{
				"Tell who answered (\"404 page not found\" is what any Go net/http service writes for a path it has no handler for, and what Traefik answers when no router matches the host and path); ask the service directly, bypassing any proxy: updoc probe {{BackendURL}}",
				"If it answers there, the 404 is Traefik's; see its routers: {{ProxyRoutes}}",
			},
		}},
	},
	{
		Code:     HTTPBodyMismatch,
		Title:    "Body does not match",
		Layers:   []Layer{LayerHTTP},
		Severity: Fail,
		Meaning: "The status was expected, but the body does not contain expect.body_contains or match expect.body_regex. " +
			"Health endpoints often answer 200 with a body that reports a failing component (\"status\":\"DOWN\"), or the " +
			"response format changed. Only the first max_body bytes are read.",
		Evidence: []string{
			"the expectation, the start of the body, whether the body was truncated",
		},
		Remediation: []string{
			"Read the body: curl -sS {{CurlRequest}} | head -c 2000",
			"{{unless NoGraph}}If it reports a failing component, follow that component (it may be another upstream in the graph): {{GraphCheck}}",
			"If the format changed legitimately, update expect.body_contains / expect.body_regex for {{Upstream}}.",
		},
	},
	{
		Code:     HTTPTooManyRedirects,
		Title:    "Too many redirects",
		Layers:   []Layer{LayerHTTP},
		Severity: Fail,
		Meaning: "More than 5 redirects, or a loop. Classic loops: an http→https redirect behind a TLS-terminating proxy that " +
			"does not pass X-Forwarded-Proto, a login redirect that needs a cookie, or trailing-slash rules that fight each other.",
		Evidence: []string{
			"the chain of Location URLs followed",
		},
		Remediation: []string{
			"Print the chain: curl -sS -o /dev/null -L --max-redirs 10 -D - {{CurlRequest}} | grep -i -E '^(HTTP|location)'",
			"If it bounces between http and https, make the proxy send X-Forwarded-Proto and the service trust it (or redirect only at the edge).",
			"If it ends on a login page, the check needs credentials (headers for {{Upstream}}) or a health endpoint that does not require login.",
			"Point the url of {{Upstream}} at the final location to skip redirects.",
		},
	},
	{
		Code:     HTTPNoResponse,
		Title:    "Connection closed before any response",
		Layers:   []Layer{LayerHTTP},
		Severity: Fail,
		Meaning: "The connection opened and the request went out, but the server closed or reset the connection before a " +
			"status line came back (curl: \"Empty reply from server\" or \"Connection reset by peer\"). The process crashed or was " +
			"killed while handling the request, it hit a limit (connections, request or header size) and hung up, a load " +
			"balancer or sidecar in front dropped the connection to an unhealthy backend, or the port belongs to something that " +
			"is not an HTTP server.",
		Evidence: []string{
			"the target, method and URL",
			"whether the connection was closed (FIN) or reset (RST), and no byte of answer",
		},
		Remediation: []string{
			"See what curl gets (\"Empty reply from server\" means closed, \"Connection reset by peer\" reset): curl -sv --max-time 10 {{CurlRequest}}",
			"Check whether the service crashes or restarts on this request: read its logs around now for panics and segfaults (in Kubernetes, the previous container's log), and look for OOM kills: journalctl -k --since '-15 min' | grep -i -E 'oom|killed'",
			"In a second terminal, watch the connection end (an R flag from the server is a reset; F right after the request is a close): sudo tcpdump -ni any -c 30 'host {{TargetHost}} and port {{TargetPort}}'",
			"Then re-run the check while it watches: {{Check}}",
			"If a load balancer or sidecar sits in front of {{Upstream}}, read its log for this request: it names the backend that hung up and why.",
		},
	},
	{
		Code:     HTTPProtocolError,
		Title:    "Answer is not valid HTTP",
		Layers:   []Layer{LayerHTTP},
		Severity: Fail,
		Meaning: "Something answered, but not with HTTP/1.x that a client can read: a malformed status line or header line (no " +
			"colon, spaces or control characters in a name), a header block the server never ended before closing, HTTP/2 frames " +
			"on a cleartext HTTP/1.1 request (the server speaks only h2c with prior knowledge, as cleartext gRPC servers do), " +
			"TLS on a port the url calls http://, or a body that does not decode from its Content-Encoding. Strict clients " +
			"(curl, Go, browsers) reject such answers; a lenient proxy in front may have hidden it so far.",
		Evidence: []string{
			"the first bytes received: the status line, the line that is malformed, or a TLS or HTTP/2 frame header",
			"how many header lines arrived before the block was cut off",
			"what the port answered a TLS ClientHello or the HTTP/2 preface with",
		},
		Remediation: []string{
			"Look at the raw answer: printf 'GET {{Path}} HTTP/1.1\\r\\nHost: {{HostPort}}\\r\\nConnection: close\\r\\n\\r\\n' | nc -w 5 {{TargetHost}} {{TargetPort}} | head -c 2048 | od -c | head -40",
			"Compare with curl, which names what it rejects: curl -sv --max-time 10 {{CurlRequest}} 2>&1 | tail -20",
			"If the port speaks TLS (the answer starts with \\025\\003 or \\026\\003, or is a 400 page about an HTTP request to an HTTPS port): use https:// in the url of {{Upstream}}; check with: openssl s_client -connect {{Target}} {{SNIFlag}} </dev/null",
			"If it speaks only HTTP/2 cleartext (h2c), probe it through TLS or on a port that also speaks HTTP/1.1, as updoc speaks HTTP/2 over TLS only; check with: curl --http2-prior-knowledge -sv --max-time 10 {{CurlRequest}}",
			"Then find what writes the broken header, cuts the answer or mangles the body (the application's own header code, a header rewrite rule in a proxy, a value with a line break in it, a crash mid-response) and fix it there.",
		},
		// The case a finding names (protocol.go) takes the place of the
		// steps about the others.
		Variants: []Variant{
			{
				Name:     VariantTLSPort,
				Replaces: []int{0, 1, 2, 3, 4},
				Steps: []string{
					"The port speaks TLS: change the url of {{Upstream}} to https:// (same host and port).",
					"Check the TLS side answers: openssl s_client -connect {{Target}} {{SNIFlag}} </dev/null 2>&1 | head -20",
					"Check it over HTTPS: curl -sv --max-time 10 {{CurlConnectTo}} https://{{HostPort}}{{Path}}",
				},
			},
			{
				Name:     VariantH2COnly,
				Replaces: []int{0, 1, 2, 3, 4},
				Steps: []string{
					"The port speaks only HTTP/2 cleartext (h2c with prior knowledge); confirm it: curl --http2-prior-knowledge -sv --max-time 10 {{CurlRequest}}",
					"updoc speaks HTTP/2 over TLS only (ALPN h2): probe it through TLS (https:// with TLS in front, as a gRPC ingress does), or probe a port of {{Upstream}} that also speaks HTTP/1.1.",
					"For a gRPC service, ask its health service instead (or with grpcurl, grpc.health.v1.Health/Check): grpc_health_probe -addr={{Target}}",
				},
			},
			{
				Name:     VariantMalformed,
				Replaces: []int{0, 2, 3},
				Steps: []string{
					"Find the line named above in the raw answer: printf 'GET {{Path}} HTTP/1.1\\r\\nHost: {{HostPort}}\\r\\nConnection: close\\r\\n\\r\\n' | nc -w 5 {{TargetHost}} {{TargetPort}} | head -c 2048 | cat -A | head -40",
				},
			},
		},
	},

	{
		Code:     HTTPIntermittent,
		Title:    "Some requests fail now and then (intermittent)",
		Layers:   []Layer{LayerLatency},
		Severity: Warn,
		Meaning: "The upstream's own check passed, but some of its latency samples (the same request repeated; for a tcp:// " +
			"or tls:// upstream, a TCP connect) failed while others passed: an error, a reset or closed connection with no " +
			"answer, a timeout, or a status outside expect.status. Clients see the same share of failures. Usual causes: one " +
			"replica behind a load balancer or Service VIP that fails now and then, a pool, queue or accept backlog that " +
			"overflows under a burst, a proxy or NAT that resets connections, or a keep-alive idle timeout shorter on the " +
			"server than in front of it. A connection the server closed after an answer is re-opened, as curl and net/http " +
			"do: that alone is not a failure.",
		Evidence: []string{
			"how many samples failed out of how many ran (failed, samples, planned)",
			"the first failed sample: its number and its error, or the status it answered",
			"whether sampling stopped early because a sample timed out",
		},
		Remediation: []string{
			"Repeat the request and count the answers (000 is no answer): for i in $(seq 50); do curl -s -o /dev/null --max-time 5 -w '%{http_code}\\n' {{CurlRequest}}; done | sort | uniq -c",
			"Sample more to see the share and which target fails: {{Check}} --samples 50 -o json | jq '.upstreams[].findings[] | select(.code == \"http.intermittent\") | {target, message}'",
			"For resets or connections closed without an answer: make the server's keep-alive idle timeout longer than that of every proxy and load balancer in front of it, and look for resets in their logs at the time of the check.",
			"For timeouts or 5xx under a burst, check the service's saturation (worker or connection pool, queue depth, CPU throttling: nr_throttled in /sys/fs/cgroup/cpu.stat){{AndItsDependencies}}",
		},
		Variants: []Variant{
			{
				// tcp:// and tls:// upstreams: the samples were TCP connects.
				Name: VariantIntermittentConnect,
				Steps: []string{
					"Repeat the connect and count the failures: for i in $(seq 50); do nc -z -w 2 {{TargetHost}} {{TargetPort}} && echo ok || echo failed; done | sort | uniq -c",
					"On the server, look for a full accept queue (connects dropped or refused under a burst): nstat -az TcpExtListenOverflows TcpExtListenDrops",
					"And compare its listen queue with the backlog (Recv-Q against Send-Q): ss -ltn 'sport = :{{TargetPort}}'",
				},
				Replaces: []int{0, 3},
			},
		},
	},

	// ---------------------------------------------------------------- gateway
	{
		Code:                  GatewayNoHealthyUpstream,
		Title:                 "Proxy has no healthy upstream",
		Layers:                []Layer{LayerHTTP},
		Severity:              Fail,
		ExplainedByDependency: true,
		Meaning: "A proxy or load balancer (Envoy, Istio, HAProxy, Traefik, Kong, ...) answered that none of its backends is available: all endpoints fail " +
			"its health checks or were ejected (outlier detection, circuit breaker), or none is registered at all (no ready " +
			"pods, a Service selector that matches nothing, an empty backend pool). The proxy is fine; what it forwards to is not.",
		Evidence: []string{
			"the proxy product recognised, status, Server/Via/x-envoy-* headers, the body pattern",
		},
		Remediation: []string{
			"Confirm who answered: curl -sS -i {{CurlRequest}} | grep -i -E '^(HTTP|server|via|x-envoy)'",
			"Check {{Product}}'s view of its backends: {{ProxyBackends}}",
			"Check the backends themselves, bypassing the proxy (BACKEND_IP: a backend's address; in Kubernetes, kubectl get pods -o wide lists them): updoc probe http://BACKEND_IP:PORT/health",
			"{{unless DependsOn}} Add the backend service to the graph as a dependency of {{Upstream}} so updoc points at it directly next time.",
		},
		Variants: []Variant{{
			Name:     VariantLimitOrNoUpstream,
			Replaces: []int{},
			Steps: []string{
				"This answer is also what {{Product}}'s own limits give while the backends are healthy: check them first: {{ProxyLimits}}",
			},
		}},
	},
	{
		Code:                  GatewayBadGateway,
		Title:                 "Bad gateway (502)",
		Layers:                []Layer{LayerHTTP},
		Severity:              Fail,
		ExplainedByDependency: true,
		Meaning: "A proxy in front of the service got no valid answer from the backend: the backend refused or reset the " +
			"connection, crashed mid-response, spoke another protocol (HTTP to an HTTPS port), sent oversized headers, or " +
			"closed a kept-alive connection the proxy was reusing (backend idle timeout shorter than the proxy's).",
		Evidence: []string{
			"status 502, Server/Via headers naming the proxy, the start of the body",
		},
		Remediation: []string{
			"See which proxy answered: curl -sS -i {{CurlRequest}} | grep -i -E '^(HTTP|server|via)'",
			"Read {{Product}}'s log for the backend error: {{ProxyLogs}}",
			"Check {{Product}}'s view of its backends: {{ProxyBackends}}",
			"Probe the backend directly, bypassing the proxy: updoc probe http://BACKEND_IP:PORT/health",
			"If errors are intermittent, make the backend's keep-alive idle timeout longer than the proxy's.",
		},
	},
	{
		Code:                  GatewayTimeout,
		Title:                 "Gateway timeout (504)",
		Layers:                []Layer{LayerHTTP},
		Severity:              Fail,
		ExplainedByDependency: true,
		Meaning: "A proxy in front of the service gave up waiting for the backend's answer (nginx proxy_read_timeout, Envoy " +
			"route timeout of 15s by default, a cloud load balancer's idle timeout). The backend is slow or hung, or unreachable " +
			"from the proxy (connect timeout).",
		Evidence: []string{
			"status 504, Server/Via headers naming the proxy, how long the request took",
		},
		Remediation: []string{
			"See which proxy answered and after how long: curl -sS -o /dev/null -D - -w 'total %{time_total}s\\n' {{CurlRequest}}",
			"Time the backend directly, bypassing the proxy: updoc probe http://BACKEND_IP:PORT/health",
			"Check {{Product}}'s view of its backends: {{ProxyBackends}}",
			"Read why it gave up: {{ProxyLogs}}",
			"If the backend is legitimately slow, raise the proxy's timeout for this route (nginx proxy_read_timeout, Envoy route timeout).",
		},
	},
	{
		Code:                  GatewayRouteNotFound,
		Title:                 "Proxy has no route for this request",
		Layers:                []Layer{LayerHTTP},
		Severity:              Fail,
		ExplainedByDependency: true,
		Meaning: "The 404 came from a proxy's routing (Envoy, Kong, ...), not from the service: no route matches this Host and path. " +
			"The ingress/route was deleted or renamed, the Host header does not match any virtual host, or the path prefix changed.",
		Evidence: []string{
			"status 404, the proxy product recognised, Server header, the body pattern (empty body with server: envoy, Kong's 'no Route matched'); Go's '404 page not found', which Traefik writes too, names no proxy: that is http.unexpected_status",
		},
		Remediation: []string{
			"Confirm who answered: curl -sS -i {{CurlRequest}} | grep -i -E '^(HTTP|server|via|x-envoy)'",
			"List {{Product}}'s routes for host {{Host}}: {{ProxyRoutes}}",
			"Check that the route's host and path prefix match {{Host}}{{Path}}, and that the route was not removed by a recent deploy.",
		},
	},

	{
		Code:                  GatewayOverloaded,
		Title:                 "Proxy refused the request itself (overloaded)",
		Layers:                []Layer{LayerHTTP},
		Severity:              Fail,
		ExplainedByDependency: true,
		Meaning: "A proxy in front of the service answered without trying a backend: one of its own limits rejected the " +
			"request. A circuit breaker is open (Envoy and Istio: max connections, pending requests or requests of the " +
			"cluster reached, response flag UO, x-envoy-overloaded; an open Resilience4j circuit behind Spring Cloud " +
			"Gateway; Traefik's CircuitBreaker middleware), the proxy's overload manager is shedding load, or a local rate " +
			"limit is exhausted. The backends may be healthy: the limits are too low for the traffic, or a slow backend " +
			"filled the queue of pending requests.",
		Evidence: []string{
			"the proxy product recognised, status, x-envoy-overloaded, the body (Envoy: 'reset reason: overflow', 'local_rate_limited', 'envoy overloaded'; Spring Cloud Gateway: 'Upstream service is temporarily unavailable')",
		},
		Remediation: []string{
			"Confirm who refused and why: curl -sS -i {{CurlRequest}} | grep -i -E '^(HTTP|server|via|x-envoy|retry-after)|overflow|rate_limited|overloaded|unavailable'",
			"See which of {{Product}}'s limits tripped: {{ProxyLimits}}",
			"Check the backends' own latency and errors, bypassing the proxy (a slow backend fills the pending queue and opens the circuit): updoc probe http://BACKEND_IP:PORT/health --samples 50",
			"Raise the limit only if the backends can take the load (Envoy circuit_breakers thresholds default to 1024 connections, pending requests and requests per cluster; Istio DestinationRule trafficPolicy.connectionPool), or add capacity.",
		},
	},

	// ---------------------------------------------------------------- api
	{
		Code:     APIDeprecated,
		Title:    "API is deprecated",
		Layers:   []Layer{LayerHTTP},
		Severity: Warn,
		Meaning: "The response carries a deprecation signal (Deprecation header, a Link with rel=deprecation, or Warning: 299): " +
			"the endpoint still works but its owner plans to remove it. Nothing is broken yet; migration should be planned.",
		Evidence: []string{
			"Deprecation header and its date, Link rel=deprecation, Warning 299 text",
		},
		Remediation: []string{
			"Read the signals and the linked documentation: curl -sS -o /dev/null -D - {{CurlRequest}} | grep -i -E 'deprecation|sunset|link|warning'",
			"Find the replacement (Link rel=successor-version or the deprecation documentation) and plan the migration of every caller of {{URL}}.",
			"To make CI block on it, set in the graph file, under policy.severity: api.deprecated: fail",
		},
	},
	{
		Code:     APISunsetScheduled,
		Title:    "API sunset scheduled",
		Layers:   []Layer{LayerHTTP},
		Severity: Warn,
		Meaning: "The response carries a Sunset date in the future: after that date the endpoint is expected to stop " +
			"answering (RFC 8594). Callers must move before then.",
		Evidence: []string{
			"Sunset date and days left, Link rel=sunset",
		},
		Remediation: []string{
			"Read the date and the linked documentation: curl -sS -o /dev/null -D - {{CurlRequest}} | grep -i -E 'deprecation|sunset|link'",
			"Migrate every caller of {{URL}} before the sunset date; put the date in the team's calendar.",
			"To make CI block on it, set in the graph file, under policy.severity: api.sunset_scheduled: fail",
		},
	},
	{
		Code:     APISunsetPassed,
		Title:    "API sunset date has passed",
		Layers:   []Layer{LayerHTTP},
		Severity: Fail,
		Meaning: "The Sunset date announced by the endpoint is in the past: it may stop answering, or already answers " +
			"differently, at any moment.",
		Evidence: []string{
			"Sunset date and how long ago it passed, Link rel=sunset",
		},
		Remediation: []string{
			"Read the signals: curl -sS -o /dev/null -D - {{CurlRequest}} | grep -i -E 'deprecation|sunset|link'",
			"Move the callers of {{URL}} to the successor API now (Link rel=successor-version or the linked documentation).",
			"Ask the API owner how long the endpoint will keep answering, if you need time.",
		},
	},

	// ---------------------------------------------------------------- latency
	{
		Code:                  LatencySlow,
		Title:                 "Slow responses",
		Layers:                []Layer{LayerLatency},
		Severity:              Warn,
		ExplainedByDependency: true,
		Meaning: "The 90th percentile of the latency samples is above expect.max_latency. The service is saturated (CPU, " +
			"GC, thread or connection pools), waits on a slow dependency, or the network path is long or lossy.",
		Evidence: []string{
			"p50, p90, p99 and max in milliseconds, number of samples, max_latency",
		},
		Remediation: []string{
			"Time one request (its phases for http:// and https://): {{TimeOnce}}",
			"If connect is slow, it is the network: ping -c 10 {{TargetHost}}",
			"If ttfb is slow, it is the service; check its CPU, GC and pool saturation{{AndItsDependencies}}",
			"If only some targets are slow, compare them: {{Check}} -o json | jq '.upstreams[].targets[] | {address, p90: .latency_ms.p90}'",
			"If the objective changed, update expect.max_latency for {{Upstream}} (now {{MaxLatency}}).",
		},
	},
	{
		Code:                  LatencyHighSpread,
		Title:                 "High latency spread (tail latency)",
		Layers:                []Layer{LayerLatency},
		Severity:              Warn,
		ExplainedByDependency: true,
		Meaning: "A pattern of slow requests, not one stall: of at least 10 samples, at least 2 (and at least 10 %) were " +
			"slower than 4 × the median (p50) and more than 50 ms above it. One slow sample is noise on a busy machine; " +
			"several are a tail every client sees. Typical causes: GC pauses, lock contention, CPU throttling by a " +
			"container limit, a cold cache, retries, or a pool that makes some requests wait.",
		Evidence: []string{
			"p50, p99 and max in milliseconds, the number of samples and how many of them were slow",
		},
		Remediation: []string{
			"Collect more samples to confirm: {{Check}} --samples 50",
			"Look at individual timings: {{TimeEach}}",
			"Check CPU throttling of the container (nr_throttled in /sys/fs/cgroup/cpu.stat) and the service's GC pause metrics.",
		},
	},
	{
		Code:     LoadImbalance,
		Title:    "One target is much slower than the others",
		Layers:   []Layer{LayerLatency},
		Severity: Warn,
		Meaning: "One target's median latency is more than twice the median of the other targets (and more than 20 ms above " +
			"it): that replica runs on a busy or degraded host, runs another version, or gets more than its share of traffic.",
		Evidence: []string{
			"p50 of the slow target and the median p50 of the others",
		},
		Remediation: []string{
			"Compare the targets: {{Check}} -o json | jq '.upstreams[].targets[] | {address, p50: .latency_ms.p50}'",
			"On the slow host ({{TargetHost}}), check CPU steal and load (top, vmstat 1), disk and memory pressure, and the version it runs.",
			"Drain or restart the slow replica, or fix the load balancer's weights.",
		},
	},
	{
		Code:     LoadReplicaDown,
		Title:    "Some replicas are down",
		Layers:   []Layer{LayerTCP, LayerTLS, LayerHTTP},
		Severity: Warn,
		Meaning: "Some targets of the upstream failed while at least one passed: the service still answers, with less " +
			"capacity, and clients (or a load balancer without health checks) that pick a failed target see errors.",
		Evidence: []string{
			"the failed targets with their cause code, and the targets that passed",
		},
		Remediation: []string{
			"Look at each failed target's own finding and follow its steps; check one directly: nc -vz {{TargetHost}} {{TargetPort}}",
			"Make sure the load balancer's health checks took the failed replicas out of rotation (otherwise some requests fail).",
			"Restore the failed replicas, and check that the remaining ones can carry the load.",
		},
	},

	// ---------------------------------------------------------------- graph
	{
		Code:           DependencyUnhealthy,
		Title:          "A dependency is unhealthy",
		Layers:         []Layer{LayerGraph},
		Severity:       Warn,
		NeverRootCause: true,
		Meaning: "An upstream this one depends on, directly or transitively, is unhealthy. This upstream's own gateway errors, " +
			"503s, 5xx, timeouts and slowness are then most likely symptoms of it, and are not reported as root causes.",
		Evidence: []string{
			"the unhealthy dependencies and the path to each: the first ten, and how many there are when more (unhealthy_dependencies_total)",
		},
		Remediation: []string{
			"Fix the dependencies first; see their own findings: {{CheckDependencies}}",
			"{{unless NoGraph}}See the whole picture: {{GraphCheck}}",
			"Re-check {{Upstream}} once they are healthy: {{Check}}",
		},
	},

	// ---------------------------------------------------------------- run
	{
		Code:           RunDeadlineExceeded,
		Title:          "Run deadline exceeded",
		Layers:         []Layer{LayerRun},
		Severity:       Fail,
		NeverRootCause: true,
		Meaning: "The whole run's --deadline ended before this upstream's probes finished, so its result is incomplete. " +
			"Something was slow to answer (timeouts × layers × targets add up), or too many probes waited for a slot.",
		Evidence: []string{
			"which layers and targets had finished",
		},
		Remediation: []string{
			"Re-run this upstream alone with more time: {{Check}} --deadline 120s",
			"Find what is slow in that run's findings (timeouts), and lower --timeout or the upstream's timeout if waiting longer is pointless.",
			"For large graphs, raise --concurrency so fewer probes wait for a slot.",
		},
	},
	{
		Code:           RunInterrupted,
		Title:          "Run interrupted",
		Layers:         []Layer{LayerRun},
		Severity:       Fail,
		NeverRootCause: true,
		Meaning:        "The run was interrupted (Ctrl-C or a signal) before this upstream's probes finished, so its result is incomplete.",
		Evidence: []string{
			"which layers and targets had finished",
		},
		Remediation: []string{
			"Re-run this upstream: {{Check}}",
			"If you interrupted because it hung, bound the run instead: {{Check}} --deadline 30s --timeout 3s",
		},
	},
}
