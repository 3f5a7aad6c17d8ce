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
    query: `# Why does the Special Operations Component Command show no facts?
# factCounts takes the arguments of facts and says what they left out.
query WhatWasLeftOut {
  entity(id: "special-operations-component-command") {
    name
    facts { type }
    factCounts { shown hidden byStatus { status total shown } }
  }
}
`,
  },
  {
    query: `# Was Belgium in NATO in 2016? The membership is undated: not known, not "no".
query BelgiumInNato2016 {
  entity(id: "belgium") {
    facts(types: [MEMBER_OF], asOf: "2016-06-01", includeUnknown: true) {
      object { name }
      inForceOn(day: "2016-06-01")
      evidence { quote source { published { text } } }
    }
  }
}
`,
  },
  {
    query: `# What do the sources say about F-16s? Each passage with the facts it states.
query EvidenceAboutF16 {
  searchEvidence(text: "F-16", first: 5) {
    quote
    start
    end
    source { title }
    facts { type subject { name } object { name } status }
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
