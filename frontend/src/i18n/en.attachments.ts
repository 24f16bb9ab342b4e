import type { Shape } from './shape'
import type zhCNAttachments from './zh-CN.attachments'

const enAttachments: Shape<typeof zhCNAttachments> = {
  attachments: {
    tab: 'Attachments',
    field: 'Attachments',
    drop: 'Click or drag files here to upload',
    hint: 'Several files at once, up to {{size}} each: PDF, Office/WPS documents, images and plain text',
    uploading: 'Uploading',
    uploaded: 'Uploaded',
    failed: 'Upload failed: {{reason}}',
    remove: 'Remove',
    cancel: 'Cancel upload',
    stillUploading: 'A file is still uploading: wait for it or cancel it',
    tooLarge: 'The file is larger than the limit of {{size}}',
    badType: 'Files of this type ({{type}}) are not accepted: send PDF, Office/WPS documents, images or plain text',
    badTypeUnknown: 'Files of this type are not accepted: send PDF, Office/WPS documents, images or plain text',
    emptyFile: 'The file is empty',
    existing: 'Attached',
    addMore: 'Add files',
    none: 'No attachments',
    download: 'Download',
    downloadFailed: 'Download failed: {{reason}}',
    name: 'File',
    size: 'Size',
    type: 'Type',
    uploader: 'Uploaded by',
    time: 'Uploaded at',
    source: 'From',
    total: '{{count}} attachments',
    owners: {
      feedback: 'Feedback',
      completion_request: 'Completion request',
      verification: 'Verification',
      comment: 'Instructions & comments',
      other: 'Other',
    },
    kinds: {
      pdf: 'PDF',
      image: 'Image',
      word: 'Word document',
      excel: 'Spreadsheet',
      powerpoint: 'Presentation',
      office: 'Office document',
      text: 'Text',
      ofd: 'OFD document',
      other: 'File',
    },
    materials: {
      request: 'Request',
      report: 'Report',
      plan: 'Plan',
      handling: 'Handling report',
    },
  },
}

export default enAttachments
