#!/usr/bin/env bash
# Refuses to publish with placeholder publishing metadata. n8n's verification and its scanner
# (@n8n/scan-community-package) fetch the source from the GitHub repository named by the npm provenance, and
# `npm publish --provenance` rejects a package.json whose repository.url is not the repository the workflow runs
# in; so repository, homepage and author must name a real public repository and a reachable maintainer.
#
#   scripts/scan-publish-metadata.sh [package.json] [owner/repo]
#
# owner/repo defaults to $GITHUB_REPOSITORY (set by GitHub Actions); when given, repository.url and homepage must
# name exactly that repository. Exits 1 listing every field to set, 0 when all look real.
set -euo pipefail
manifest=${1:-$(cd "$(dirname "$0")/.." && pwd)/package.json}
expected_repo=${2:-${GITHUB_REPOSITORY:-}}
exec node - "$manifest" "$expected_repo" <<'EOF'
const fs = require('node:fs');
const [manifestPath, expectedRepo] = process.argv.slice(2);
const pkg = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
const name = String(pkg.name ?? '');
const problems = [];

// Words that only a template or an unfinished package.json holds.
const PLACEHOLDER = /\b(example|your[-_]?(org|name|user|company)|owner|username|changeme|todo|tbd|xxx)\b/i;
// Reserved or non-routable mail domains (RFC 2606 / 6761) and the package's own name used as a domain.
const fakeDomain = (domain) =>
	/(^|\.)(example\.(com|org|net)|example|invalid|test|localhost|local)$/i.test(domain) ||
	domain.toLowerCase().startsWith(`${name.toLowerCase()}.`);

const repoUrl = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url ?? '';
const repoMatch = /^(?:git\+)?https:\/\/github\.com\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?$/.exec(repoUrl);
const wantRepo = expectedRepo || '<owner>/<repo>';
if (!repoMatch) {
	problems.push(`repository.url is "${repoUrl}": set it to "git+https://github.com/${wantRepo}.git" (a public GitHub repository: n8n's scanner fetches the source from it)`);
} else {
	const [, owner, repo] = repoMatch;
	if (owner.toLowerCase() === name.toLowerCase() || PLACEHOLDER.test(owner) || PLACEHOLDER.test(repo)) {
		problems.push(`repository.url "${repoUrl}" is a placeholder (owner "${owner}"): set it to "git+https://github.com/${wantRepo}.git"`);
	} else if (expectedRepo && `${owner}/${repo}`.toLowerCase() !== expectedRepo.toLowerCase()) {
		problems.push(`repository.url names ${owner}/${repo} but this runs in ${expectedRepo}: npm provenance requires them to match; set "git+https://github.com/${expectedRepo}.git"`);
	}
}

const homepage = String(pkg.homepage ?? '');
const homeMatch = /^https:\/\/github\.com\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:[#/].*)?$/.exec(homepage);
if (!/^https:\/\//.test(homepage)) {
	problems.push(`homepage is "${homepage}": set it to "https://github.com/${wantRepo}#readme"`);
} else if (homeMatch && repoMatch && `${homeMatch[1]}/${homeMatch[2]}`.toLowerCase() !== `${repoMatch[1]}/${repoMatch[2]}`.toLowerCase()) {
	problems.push(`homepage "${homepage}" is not the repository ${repoMatch[1]}/${repoMatch[2]}: set "https://github.com/${repoMatch[1]}/${repoMatch[2]}#readme"`);
} else if ((homeMatch && homeMatch[1].toLowerCase() === name.toLowerCase()) || PLACEHOLDER.test(homepage)) {
	problems.push(`homepage "${homepage}" is a placeholder: set it to "https://github.com/${wantRepo}#readme"`);
}

const author = typeof pkg.author === 'string' ? { name: pkg.author.replace(/<.*$/, '').trim(), email: (/<([^>]+)>/.exec(pkg.author) ?? [])[1] } : pkg.author ?? {};
const authorName = String(author.name ?? '').trim();
const email = String(author.email ?? '').trim();
if (!authorName || authorName.toLowerCase().includes(name.toLowerCase()) || PLACEHOLDER.test(authorName)) {
	problems.push(`author.name is "${authorName}": set the maintainer's (person or company) name`);
}
const emailMatch = /^[^@\s]+@([^@\s]+\.[^@\s]+)$/.exec(email);
if (!emailMatch || fakeDomain(emailMatch[1]) || PLACEHOLDER.test(email)) {
	problems.push(`author.email is "${email}": set an address that reaches the maintainer (n8n and users write to it)`);
}

if (problems.length) {
	console.error(`${manifestPath}: publishing metadata is not ready:`);
	for (const problem of problems) console.error(`  - ${problem}`);
	console.error('Edit package.json (repository.url, homepage, author), commit, and tag again.');
	process.exit(1);
}
console.log(`${manifestPath}: repository, homepage and author look real (${repoUrl}, ${authorName} <${email}>)`);
EOF
