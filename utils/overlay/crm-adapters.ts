/**
 * How each CRM shows a record field, as data: a field's container, its label and its value. An adapter
 * is chosen by markup it recognises on the page (its `signature`), not by host name, so CRMs on custom
 * domains are recognised too. The selectors follow each CRM's record-page markup as documented and
 * observed publicly; they are checked against the fixture pages in tests/extension/fixtures/crm/.
 */
export type CrmAdapter = {
  id: 'salesforce' | 'hubspot' | 'zoho' | 'dynamics' | 'pipedrive';
  name: string;
  /** Where the analyst enables it: optional host permissions and content-script matches. */
  matches: string[];
  /** Present on this CRM's record pages. */
  signature: string;
  field: { container: string; label: string; value: string };
};

export const CRM_ADAPTERS: CrmAdapter[] = [
  {
    id: 'salesforce',
    name: 'Salesforce Lightning',
    matches: ['https://*.lightning.force.com/*', 'https://*.my.salesforce.com/*'],
    signature: 'records-record-layout-item, .slds-form-element .test-id__field-label',
    field: {
      container: 'records-record-layout-item, .slds-form-element',
      label: '.test-id__field-label, .slds-form-element__label',
      value: '.test-id__field-value, .slds-form-element__static, input',
    },
  },
  {
    id: 'hubspot',
    name: 'HubSpot',
    matches: ['https://app.hubspot.com/*', 'https://app-eu1.hubspot.com/*'],
    signature: '[data-selenium-test="property-input"], [data-test-id="property-row"]',
    field: {
      container: '[data-selenium-test="property-input"], [data-test-id="property-row"]',
      label: '[data-selenium-test="property-label"], [data-test-id="property-label"], label',
      value: '[data-selenium-test="property-value"], [data-test-id="property-value"], input, textarea',
    },
  },
  {
    id: 'zoho',
    name: 'Zoho CRM',
    matches: [
      'https://crm.zoho.com/*',
      'https://crm.zoho.eu/*',
      'https://crm.zoho.in/*',
      'https://crm.zoho.com.au/*',
    ],
    signature: '.dvLeftPanel_text, [id^="value_"]',
    field: {
      container: '.dv_info_tbl tr, .dvFieldRow, .crm-detail-field',
      label: '.dvLeftPanel_text, .dvleftPanel, [id^="label_"]',
      value: '.dvRightPanel_value, .dvrightPanel, [id^="value_"]',
    },
  },
  {
    id: 'dynamics',
    name: 'Microsoft Dynamics 365',
    matches: ['https://*.dynamics.com/*'],
    signature: '[data-id$="-FieldSectionItemContainer"]',
    field: {
      container: '[data-id$="-FieldSectionItemContainer"]',
      label: 'label',
      value: 'input, [data-id$=".fieldControl-text-box-text"]',
    },
  },
  {
    id: 'pipedrive',
    name: 'Pipedrive',
    matches: ['https://*.pipedrive.com/*'],
    signature: '.fieldsList__item, [data-test="field-row"]',
    field: {
      container: '.fieldsList__item, [data-test="field-row"]',
      label: '.fieldsList__label, [data-test="field-label"]',
      value: '.fieldsList__value, [data-test="field-value"]',
    },
  },
];
