/** The analyst's questions of docs/api.md, opened as GraphiQL tabs. */
export const EXAMPLES: Array<{ query: string; variables?: string }> = [
  {
    query: `# Who cooperates with Lithuania, and how?
# Add status: [ACTIVE, PLANNED, PROPOSED] to see plans as well.
query PartnersOfLithuania {
  partners(of: "lithuania") {
    partner { name }
    domains
    since { text precision }
    links {
      kind
      through { name }
      facts { type subject { name } object { name } status evidence { quote } }
    }
  }
}
`,
  },
  {
    query: `# Who has troops in the eFP battle group, since when, and who says so?
# Try asOf: "2016-06-01" on facts: none of them is in force yet.
query EfpContributors {
  entity(id: "efp-battle-group-lithuania") {
    name
    facts(types: [PARTICIPATES_IN, DEPLOYED_AT]) {
      type
      subject { name }
      object { name }
      role
      validity { start { text precision earliest latest } }
      evidence { quote source { title url } }
    }
  }
}
`,
  },
  {
    query: `# What does Belgium plan, rather than do?
query BelgiumPlans {
  entity(id: "belgium") {
    facts(status: [PLANNED, PROPOSED, ANNOUNCED]) {
      type
      object { name }
      status
      isFactual
      evidence { quote }
    }
  }
}
`,
  },
  {
    query: `# How does Luxembourg connect to Belgium?
query LuxembourgToBelgium($from: ID!, $to: ID!) {
  connections(from: $from, to: $to) {
    length
    hops {
      from { name }
      relation
      forward
      to { name }
      fact { status validity { start { text } } evidence { quote source { title url } } }
    }
  }
}
`,
    variables: JSON.stringify({ from: 'luxembourg', to: 'belgium' }, null, 2),
  },
];
