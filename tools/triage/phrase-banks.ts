// Hand-written phrase banks the triage data set is composed from: complaint scenarios per category, vulnerability cues, tone and channel styles.
// Every scenario states its own labels (category, base severity, regulatory flag); cue and loss phrases adjust severity.

// The cues are the schema's: a cue added there needs its phrases here (the Record below makes that a type error).
export { VULNERABILITY_CUES, type VulnerabilityCue } from '#schemas/triage';
import type { VulnerabilityCue } from '#schemas/triage';

export type Sev = 'low' | 'medium' | 'high' | 'critical';

export interface Scenario {
  category: 'product_issue' | 'service_delay' | 'billing' | 'policy' | 'agent_interaction' | 'other';
  severity: Sev;
  regulatory: boolean;
  products: string[];
  summaries: string[];
  /** Body sentences; `{product}`, `{days}`, `{weeks}`, `{date}`, `{ref}` are filled in by the generator. */
  bodies: string[];
}

const BANKING = ['current account', 'credit card', 'savings account', 'personal loan', 'mortgage', 'debit card'];
const INSURANCE = ['home insurance', 'car insurance', 'travel insurance', 'pet insurance', 'life insurance'];
const TELECOM = ['broadband', 'mobile contract', 'landline', 'TV package'];
const UTILITY = ['energy supply', 'gas supply', 'water supply', 'smart meter'];
const DELIVERY = ['home delivery', 'parcel service', 'furniture delivery'];

export const SCENARIOS: Scenario[] = [
  // ---------- product_issue ----------
  {
    category: 'product_issue', severity: 'medium', regulatory: false, products: TELECOM,
    summaries: ['Broadband keeps dropping out', 'Connection fails every evening', 'Service not working as sold'],
    bodies: [
      'My {product} has stopped working properly. It drops out several times an hour and the engineer visit on {date} changed nothing.',
      'Since the upgrade {weeks} weeks ago the {product} disconnects every evening and I cannot work from home.',
      'The {product} speed is a fraction of what was promised when I signed up. Restarting the router has not helped.',
    ],
  },
  {
    category: 'product_issue', severity: 'high', regulatory: false, products: UTILITY,
    summaries: ['Smart meter faulty and readings wrong', 'Meter stopped recording', 'Faulty meter left us without supply'],
    bodies: [
      'The {product} installed last month shows readings that cannot be right and the display is blank most days.',
      'Our prepayment {product} stopped accepting top-ups and we were left without heating for {days} days.',
      'The new {product} has been faulty since installation and nobody has come to replace it despite three calls.',
    ],
  },
  {
    category: 'product_issue', severity: 'medium', regulatory: true, products: BANKING,
    summaries: ['Card declined everywhere', 'Card stopped working abroad', 'Online banking locked me out'],
    bodies: [
      'My {product} has been declined in shops and online for {days} days even though there is money in the account.',
      'I was abroad and my {product} stopped working without warning, leaving me unable to pay for the hotel.',
      'The app has locked me out of my {product} and the reset process keeps failing at the identity check.',
    ],
  },
  {
    category: 'product_issue', severity: 'medium', regulatory: false, products: DELIVERY,
    summaries: ['Item arrived damaged', 'Wrong item delivered', 'Parcel contents broken'],
    bodies: [
      'The order arrived through your {product} with the box crushed and the item inside broken in two places.',
      'I received the wrong item for the second time and the returns label you sent does not work.',
      'The sofa came by {product} with a torn cover and a missing leg, and it was signed for without inspection.',
    ],
  },
  {
    category: 'product_issue', severity: 'high', regulatory: true, products: ['investment ISA', 'pension', 'savings account'],
    summaries: ['Product was mis-sold to me', 'Unsuitable investment recommended', 'Product not as described'],
    bodies: [
      'I was sold an {product} that was never suitable for my circumstances; the risks were not explained at the meeting.',
      'The adviser told me the {product} was low risk, but it has lost a third of its value and the documents say otherwise.',
      'The features of the {product} described in the brochure are not what I actually got, and the terms were changed after I joined.',
    ],
  },
  {
    category: 'product_issue', severity: 'low', regulatory: false, products: ['mobile app', 'online portal', 'mobile contract'],
    summaries: ['App keeps crashing', 'Website feature broken', 'Portal will not save changes'],
    bodies: [
      'The {product} crashes every time I try to view my statements. It is a small thing but it has been like this for {weeks} weeks.',
      'I cannot update my address in the {product}; the save button does nothing.',
      'The {product} logs me out every few minutes which makes it very hard to use.',
    ],
  },
  // ---------- service_delay ----------
  {
    category: 'service_delay', severity: 'medium', regulatory: false, products: DELIVERY,
    summaries: ['Third delayed delivery this month', 'Delivery missed again', 'Parcel still not delivered'],
    bodies: [
      'This is the third time this month the {product} has not arrived on the promised day, and I took time off work to wait in.',
      'My parcel has been "out for delivery" for {days} days. Nobody can tell me where it is.',
      'The {product} slot on {date} was missed with no call, and the rebooked slot was missed too.',
    ],
  },
  {
    category: 'service_delay', severity: 'high', regulatory: true, products: INSURANCE,
    summaries: ['Claim still not settled', 'No decision on my claim', 'Claim delayed for weeks'],
    bodies: [
      'I made a claim on my {product} {weeks} weeks ago and I am still waiting for a decision despite sending every document asked for.',
      'The loss adjuster visited on {date} and since then nothing has happened on my {product} claim.',
      'My {product} claim reference {ref} has been passed between departments and nobody will give me a settlement date.',
    ],
  },
  {
    category: 'service_delay', severity: 'medium', regulatory: true, products: BANKING,
    summaries: ['Account switch delayed', 'Payment took days to arrive', 'Transfer still pending'],
    bodies: [
      'I asked for my {product} to be switched on {date} and the switch is still not complete, so my salary went to the old account.',
      'A transfer from my {product} has been pending for {days} days and the recipient has not been paid.',
      'You said the closure of my {product} would take five days; it has now been {weeks} weeks.',
    ],
  },
  {
    category: 'service_delay', severity: 'medium', regulatory: false, products: TELECOM,
    summaries: ['Installation date keeps moving', 'Engineer never turned up', 'Still waiting for connection'],
    bodies: [
      'The {product} installation has been rescheduled four times and I have now been without service for {weeks} weeks.',
      'An engineer was booked for {date} between eight and one and never arrived, and nobody called.',
      'I moved house {weeks} weeks ago and I am still waiting for the {product} to be connected.',
    ],
  },
  {
    category: 'service_delay', severity: 'high', regulatory: true, products: ['mortgage', 'pension', 'life insurance'],
    summaries: ['Mortgage offer delayed', 'Pension transfer delayed', 'Payout still not received'],
    bodies: [
      'The delay on my {product} application means we may lose the house we are buying; the completion date is {date}.',
      'My {product} transfer was requested {weeks} weeks ago and the funds have still not moved, while the market has fallen.',
      'The payout from the {product} was due on {date} and I have had no money and no explanation.',
    ],
  },
  {
    category: 'service_delay', severity: 'low', regulatory: false, products: ['customer service', 'online portal', 'home delivery'],
    summaries: ['No reply to my emails', 'Waiting for a call back', 'Letter never answered'],
    bodies: [
      'I emailed about my {product} on {date} and have not had a reply, not even an automatic one.',
      'I was promised a call back within 48 hours and it has been {days} days.',
      'I wrote to you {weeks} weeks ago and I am still waiting for an answer.',
    ],
  },
  // ---------- billing ----------
  {
    category: 'billing', severity: 'medium', regulatory: true, products: BANKING,
    summaries: ['Charged twice for one payment', 'Duplicate card charge', 'Payment taken twice'],
    bodies: [
      'My {product} was charged twice for the same purchase on {date} and the duplicate has not been refunded after two calls.',
      'The same direct debit left my {product} twice this month, which pushed me into my overdraft.',
      'I was charged twice for one transaction and the second charge is still showing {days} days later.',
    ],
  },
  {
    category: 'billing', severity: 'medium', regulatory: false, products: UTILITY,
    summaries: ['Bill far higher than usual', 'Estimated bill is wrong', 'Back-billed for old usage'],
    bodies: [
      'My {product} bill this quarter is three times the usual amount and it is based on an estimate, not a reading.',
      'I sent meter readings on {date} but the bill still uses estimates that are far too high.',
      'I have been back-billed for usage from more than a year ago that I was never told about.',
    ],
  },
  {
    category: 'billing', severity: 'medium', regulatory: true, products: ['credit card', 'personal loan', 'current account'],
    summaries: ['Unfair fees added to my account', 'Charges I did not agree to', 'Interest applied wrongly'],
    bodies: [
      'Fees have been added to my {product} that were never explained to me and I do not agree to them.',
      'Interest was applied to my {product} at a rate that is not the one in my agreement.',
      'You charged late payment fees on my {product} even though the payment left my bank on time.',
    ],
  },
  {
    category: 'billing', severity: 'low', regulatory: false, products: TELECOM,
    summaries: ['Still billed after cancelling', 'Price rise not explained', 'Charged for a service I do not use'],
    bodies: [
      'I cancelled my {product} on {date} and you have taken another monthly payment.',
      'My {product} price went up mid-contract and the letter did not explain why.',
      'I am being charged for an add-on to my {product} that I never asked for.',
    ],
  },
  {
    category: 'billing', severity: 'high', regulatory: true, products: BANKING,
    summaries: ['Unauthorised transactions not refunded', 'Fraud on my account', 'Money taken without consent'],
    bodies: [
      'There are transactions on my {product} that I did not make and you refuse to refund them, saying I was negligent.',
      'Someone took money from my {product} on {date}. I reported it within the hour and I still have not been refunded.',
      'I was the victim of a scam and the payments from my {product} were not stopped even though they were unusual for me.',
    ],
  },
  {
    category: 'billing', severity: 'medium', regulatory: false, products: INSURANCE,
    summaries: ['Premium went up at renewal', 'Refund not paid after cancellation', 'Charged the wrong premium'],
    bodies: [
      'My {product} premium went up by a large amount at renewal although nothing changed and I made no claims.',
      'I cancelled my {product} on {date} and the refund of the unused premium has not been paid.',
      'The premium taken for my {product} is not the one I was quoted on the phone.',
    ],
  },
  // ---------- policy ----------
  {
    category: 'policy', severity: 'high', regulatory: true, products: INSURANCE,
    summaries: ['Claim rejected on a technicality', 'Cover refused for an exclusion I was never told about', 'Claim declined unfairly'],
    bodies: [
      'My {product} claim was declined because of an exclusion that was never pointed out to me when I bought the policy.',
      'You rejected the claim on my {product} saying I should have declared something I was never asked about.',
      'The decision to refuse my {product} claim relies on a clause that contradicts what the sales agent told me.',
    ],
  },
  {
    category: 'policy', severity: 'medium', regulatory: true, products: BANKING,
    summaries: ['Account closed without explanation', 'Credit limit cut without notice', 'Application refused'],
    bodies: [
      'You closed my {product} with only a letter and no reason, and I cannot get my money out quickly.',
      'The limit on my {product} was reduced without any notice, and a payment bounced as a result.',
      'My application for a {product} was refused and nobody will tell me why.',
    ],
  },
  {
    category: 'policy', severity: 'high', regulatory: true, products: ['personal loan', 'mortgage', 'credit card'],
    summaries: ['Refused a payment plan', 'Arrears handled unfairly', 'No help with repayments'],
    bodies: [
      'I asked for a payment plan on my {product} and you refused even to look at my income and outgoings.',
      'You keep adding charges to my {product} arrears while I am trying to agree an affordable plan.',
      'The collections team threatened legal action on my {product} after I explained that I cannot pay this month.',
    ],
  },
  {
    category: 'policy', severity: 'medium', regulatory: true, products: ['customer data', 'current account', 'mobile contract'],
    summaries: ['My personal data was shared', 'Letter sent to the wrong address', 'Data request ignored'],
    bodies: [
      'A letter with my {product} details was sent to my old address after I had told you I moved.',
      'My personal details were shared with a third party without my consent.',
      'I made a subject access request on {date} and have not received my data.',
    ],
  },
  {
    category: 'policy', severity: 'low', regulatory: false, products: DELIVERY.concat(TELECOM),
    summaries: ['Returns policy is unfair', 'Cancellation fee too high', 'Terms changed without notice'],
    bodies: [
      'Your returns policy for {product} orders gives only a few days, which is not enough to inspect a large item.',
      'The early cancellation fee on my {product} is out of proportion to what is left of the contract.',
      'The terms of my {product} changed and I only found out from my bill.',
    ],
  },
  {
    category: 'policy', severity: 'medium', regulatory: false, products: UTILITY,
    summaries: ['Forced onto a prepayment meter', 'Deposit demanded for new account', 'Tariff switch refused'],
    bodies: [
      'You want to move me onto a prepayment {product} without discussing other options.',
      'I was told I must pay a deposit before my {product} account can be opened, which I was never told about.',
      'You refused to move my {product} to the cheaper tariff I am entitled to.',
    ],
  },
  // ---------- agent_interaction ----------
  {
    category: 'agent_interaction', severity: 'medium', regulatory: false, products: TELECOM.concat(UTILITY),
    summaries: ['Rude call centre agent', 'Agent hung up on me', 'Treated with contempt on the phone'],
    bodies: [
      'The agent I spoke to about my {product} on {date} was rude, talked over me and then hung up.',
      'When I called about my {product}, the person on the phone laughed at my question and refused to give their name.',
      'The adviser was dismissive and sarcastic and told me to stop wasting their time.',
    ],
  },
  {
    category: 'agent_interaction', severity: 'high', regulatory: true, products: BANKING.concat(INSURANCE),
    summaries: ['Pressured into buying cover', 'Agent gave me wrong information', 'Misled by the adviser'],
    bodies: [
      'The agent pressured me into adding cover to my {product} that I did not want and did not need.',
      'The adviser told me my {product} would pay out in this situation, which turned out to be wrong.',
      'I was given incorrect information by your staff about my {product} and made a decision based on it.',
    ],
  },
  {
    category: 'agent_interaction', severity: 'medium', regulatory: false, products: DELIVERY,
    summaries: ['Driver was aggressive', 'Courier left parcel in the rain and was rude', 'Driver threw my parcel'],
    bodies: [
      'Your driver was aggressive when I asked him to bring the {product} to the door and swore at me.',
      'The courier left my parcel in the rain and when I complained he was rude to me.',
      'I watched the driver throw my parcel over the gate; the camera recorded it.',
    ],
  },
  {
    category: 'agent_interaction', severity: 'low', regulatory: false, products: ['customer service', 'online chat', 'branch'],
    summaries: ['Passed between departments', 'Nobody takes ownership', 'Kept on hold for an hour'],
    bodies: [
      'I have been passed between five departments about one simple question and each one tells me something different.',
      'I was kept on hold for over an hour and then the call was transferred to a line that was closed.',
      'Every time I contact your {product} I have to explain everything again from the start.',
    ],
  },
  {
    category: 'agent_interaction', severity: 'medium', regulatory: true, products: ['branch', 'current account', 'mortgage'],
    summaries: ['Staff refused to help me', 'Discriminated against in branch', 'Staff would not make adjustments'],
    bodies: [
      'The staff at the {product} refused to help me and said I should go online instead, which I told them I cannot do.',
      'I felt discriminated against by the way I was spoken to at the {product}.',
      'I asked for a reasonable adjustment and the member of staff said it was not their job.',
    ],
  },
  {
    category: 'agent_interaction', severity: 'medium', regulatory: false, products: ['customer service', 'online chat'],
    summaries: ['Promised call back never came', 'Agent made promises nobody kept', 'Chat agent closed the chat'],
    bodies: [
      'The agent promised a manager would call me back the same day, and nobody did.',
      'The chat agent closed the conversation while I was still typing.',
      'I was promised a goodwill gesture by the agent, and now nobody will honour it.',
    ],
  },
  // ---------- other ----------
  {
    category: 'other', severity: 'low', regulatory: false, products: ['website', 'marketing', 'branch'],
    summaries: ['Too many marketing emails', 'Branch closing down', 'Website hard to use'],
    bodies: [
      'I keep receiving marketing emails even though I unsubscribed twice.',
      'I am unhappy that my local {product} is closing and the nearest one is miles away.',
      'Your {product} is confusing and I could not find how to contact anyone.',
    ],
  },
  {
    category: 'other', severity: 'low', regulatory: false, products: ['general', 'website', 'customer service'],
    summaries: ['General feedback about the service', 'Unhappy with the new layout', 'Complaint about opening hours'],
    bodies: [
      'I want to register my dissatisfaction with how the service has gone downhill in the last year.',
      'The new layout of the {product} is much worse than the old one.',
      'Your phone lines close too early for anyone who works normal hours.',
    ],
  },
  {
    category: 'other', severity: 'medium', regulatory: false, products: ['car park', 'branch', 'office'],
    summaries: ['Accessibility of premises', 'Unsafe entrance at the branch', 'Noise from your site'],
    bodies: [
      'The ramp at the {product} has been broken for weeks and I could not get in.',
      'The entrance to your {product} is unsafe in the wet and I nearly fell.',
      'The noise from your {product} late at night is keeping the whole street awake.',
    ],
  },
  {
    category: 'other', severity: 'medium', regulatory: false, products: ['sponsorship', 'advertising', 'marketing'],
    summaries: ['Offensive advert', 'Misleading advertising', 'Unhappy with your sponsorship'],
    bodies: [
      'Your latest {product} campaign is offensive and I want it withdrawn.',
      'The {product} says the offer is free but there are conditions hidden in the small print.',
      'I object to the company\'s {product} choices and want my view recorded.',
    ],
  },
  {
    category: 'other', severity: 'low', regulatory: false, products: ['survey', 'customer service', 'website'],
    summaries: ['Survey calls every week', 'Cannot find the complaints form', 'Feedback ignored'],
    bodies: [
      'I get survey calls every week after every contact with you; please stop.',
      'I could not find your complaints form on the {product}, which is why I am writing here.',
      'I gave feedback about the {product} months ago and nothing has changed.',
    ],
  },
];

/** Sentences that reveal a vulnerability; each names one cue (the label). */
export const CUE_PHRASES: Record<VulnerabilityCue, string[]> = {
  bereavement: [
    'My husband passed away in {month} and I am trying to sort out his affairs.',
    'I am dealing with this after the death of my mother, who held the account.',
    'We lost our son recently and I cannot keep repeating this on the phone.',
    'I am the executor of my late father\'s estate and this has made a painful time worse.',
    'Since my wife died I have had to take over all the bills and I do not understand them.',
  ],
  illness: [
    'I am undergoing chemotherapy and do not have the energy to keep chasing this.',
    'I have just come out of hospital after a heart operation.',
    'I have a long-term illness and I am often too unwell to call.',
    'I was diagnosed with cancer in {month} and this is adding stress I do not need.',
    'I am recovering from a stroke and writing is difficult for me.',
  ],
  financial_hardship: [
    'I lost my job last month and I cannot afford these charges.',
    'I am on universal credit and this has left me unable to buy food this week.',
    'We are behind on the rent and this money was meant for it.',
    'I have had to use a food bank because of this.',
    'I am in debt already and this has pushed me over the edge financially.',
  ],
  age: [
    'I am 84 and I do not use the internet.',
    'My mother is 91 and lives alone; I am writing on her behalf.',
    'As a pensioner in my eighties I find your automated phone system impossible.',
    'I am elderly and was told to do everything through the app, which I cannot use.',
    'My grandfather is 88 and he was very confused by your letter.',
  ],
  disability: [
    'I am registered blind and your letters are not available in large print.',
    'I am deaf and you keep insisting that I phone you.',
    'I use a wheelchair and could not get into the branch.',
    'I have a learning disability and my carer helps me with my post.',
    'I am partially sighted and cannot read the small print on the statements.',
  ],
  mental_health: [
    'I suffer from anxiety and this situation has made it much worse.',
    'I have depression and dealing with this has been overwhelming.',
    'I have been signed off work with stress and cannot cope with this as well.',
    'I have bipolar disorder and phone calls make me very anxious.',
    'My mental health has really suffered and I have had panic attacks over this.',
  ],
  language_barrier: [
    'English is not my first language and I do not understand the letters you send.',
    'My father does not speak English well, so I am helping him write this.',
    'I asked for an interpreter and was told you do not provide one.',
    'Sorry for my English, I try to explain the problem.',
    'I only speak a little English and the agent spoke too fast for me to follow.',
  ],
  relationship_breakdown: [
    'My partner and I separated in {month} and I am now dealing with the account on my own.',
    'I am going through a divorce and my ex-husband used to handle all of this.',
    'Since my marriage broke down I have had to take over the finances for the first time.',
    'We split up last month and the joint account has been frozen ever since.',
    'After the breakup I moved out and never received the letters about this.',
  ],
  caring_responsibilities: [
    'I am a full-time carer for my disabled son and I cannot spend hours on the phone.',
    'I look after my elderly mother every day, so I have very little time to deal with this.',
    'As an unpaid carer for my husband I cannot get to the branch during opening hours.',
    'I care for my father who has dementia and I am exhausted.',
    'Looking after my sick child means I can only reply in the evenings.',
  ],
  domestic_abuse: [
    'I have recently left an abusive relationship and my ex controlled all of our money.',
    'My former partner took out this debt in my name and kept me away from our finances.',
    'I am living in a refuge after domestic abuse and need my address kept private.',
    'My husband was financially controlling and I only now discovered these payments.',
    'I fled domestic violence and please do not send anything to the old address.',
  ],
  addiction: [
    'I have a gambling addiction and asked you to block gambling transactions, which you did not.',
    'I am in recovery from alcohol dependency and this has put my progress at risk.',
    'My gambling problem got out of control and your limits did nothing to stop it.',
    'I am receiving treatment for addiction and find dealing with money very hard.',
    'I have struggled with drug addiction and I am trying to rebuild my life.',
  ],
  low_emotional_resilience: [
    'I just cannot cope with any more stress and I break down every time I open a letter.',
    'Every call leaves me in tears and I have started ignoring the post because it overwhelms me.',
    'I go to pieces when things like this happen and I have no one to lean on.',
    'I feel completely overwhelmed and cannot face dealing with this any more.',
    'The smallest setback knocks me sideways and this has been far too much.',
  ],
  low_financial_capability: [
    'I have never been good with money and did not understand what the charges meant.',
    'I struggle with numbers and could not work out the interest in your letter.',
    'I have trouble reading and writing, so I did not understand the terms.',
    'I did not understand the difference between the accounts and nobody explained it.',
    'I am not confident managing money and signed without knowing what it meant.',
  ],
  digital_exclusion: [
    'I do not have a smartphone or a computer, so I cannot use your online service.',
    'I do not have internet access at home and everything you send is by email.',
    'I cannot use apps or websites and you closed the branch I relied on.',
    'I have no email address, so I never saw the notices you say you sent.',
    'I am not able to use online banking and the phone line keeps telling me to go online.',
  ],
};

/** Loss phrases by magnitude; a large or distressing loss raises the severity by one step. */
export const SMALL_LOSS = [
  'It is only a small amount but it is the principle.',
  'The money is not the issue; I want it put right.',
  'I would like an apology and for this to be fixed.',
  '',
  '',
];
export const LARGE_LOSS = [
  'I am now more than £{amount} out of pocket and cannot pay my bills.',
  'This has cost me £{amount} in extra charges and lost earnings.',
  'I have had to borrow money from family to cover the £{amount} I lost.',
  'The financial loss is serious: over £{amount} so far.',
];

/** Tone: calm, frustrated or angry openers and closers (the data set labels the tone, the sentiment check uses it). */
export type Tone = 'calm' | 'frustrated' | 'angry';
export const TONE_OPENERS: Record<Tone, string[]> = {
  calm: ['I would like to raise a complaint.', 'I hope you can help with the following.', 'Please could you look into this for me.', ''],
  frustrated: ['I am very disappointed with how this has been handled.', 'I am frustrated and fed up with this.', 'This is not good enough.', 'I am unhappy and tired of chasing you.'],
  angry: [
    'I am absolutely furious.',
    'This is disgraceful and completely unacceptable.',
    'I am angry and upset at the appalling way I have been treated.',
    'Your service is terrible and I am disgusted.',
  ],
};
export const TONE_CLOSERS: Record<Tone, string[]> = {
  calm: ['Thank you for your help.', 'I look forward to hearing from you.', 'Please let me know what happens next.', ''],
  frustrated: ['Please sort this out properly this time.', 'I expect a proper answer, not another script.', 'I want this resolved without more delay.'],
  angry: ['If this is not fixed I will go to the ombudsman.', 'I will be telling everyone I know to avoid you.', 'I want compensation for this awful experience.', 'This is the worst service I have ever had.'],
};

/** How each channel's text reads: a prefix and suffix around the body. */
export const CHANNEL_STYLES: Record<string, { before: string[]; after: string[] }> = {
  web: { before: [''], after: [''] },
  email: { before: ['Dear Sir or Madam,', 'Hello,', 'To the complaints team,'], after: ['Regards, {name}', 'Kind regards, {name}', 'Thanks, {name}'] },
  letter: { before: ['To whom it may concern, I am writing to make a formal complaint.', 'Dear Complaints Department,'], after: ['Yours faithfully, {name}', 'Yours sincerely, {name}'] },
  phone: { before: ['Call note: customer phoned to complain.', 'Customer called in. Summary of the call:', 'Inbound call, customer states:'], after: ['Customer asked for a written reply.', 'Advised the complaint has been logged.', ''] },
  chat: { before: ['hi', 'hello there', 'hi, quick one'], after: ['thanks', 'can someone help pls', ''] },
  social: { before: ['@support', 'Public post to @support:', 'DM to @support:'], after: ['#badservice', '', 'Sort it out.'] },
  in_app: { before: ['Sent from the app:', 'In-app message:'], after: [''] },
  helpdesk: { before: ['Escalated from helpdesk ticket {ref}:', 'Helpdesk ticket {ref} escalated to complaints:'], after: ['Ticket marked as formal complaint by first-line support.', 'First line could not resolve.'] },
};

export const NAMES = ['A. Patel', 'J. Smith', 'M. Okafor', 'S. Nguyen', 'R. Jones', 'L. Kowalski', 'H. Ahmed', 'E. Murphy', 'D. Williams', 'K. Chen', 'P. O\'Brien', 'T. Evans'];
export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
