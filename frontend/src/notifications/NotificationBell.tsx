import { BellOutlined } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import { Badge, Button } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { useMe } from '../auth/auth'
import { followNotifications } from './stream'

export const NOTIFICATIONS_KEY = ['notifications'] as const

/** The bell of the shell's header: the unread count, live through the stream. */
export function NotificationBell() {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const qc = useQueryClient()
  const [count, setCount] = useState(0)
  const userId = useMe().data?.id
  useEffect(() => {
    if (!userId) return
    const ac = new AbortController()
    followNotifications(
      {
        onUnread: (n) => {
          setCount(n)
          void qc.invalidateQueries({ queryKey: NOTIFICATIONS_KEY })
        },
        onNotification: () => void qc.invalidateQueries({ queryKey: NOTIFICATIONS_KEY }),
      },
      ac.signal,
      userId,
    )
    return () => ac.abort()
  }, [qc, userId])
  return (
    <Button
      type="text"
      aria-label={t('notifications.bellCount', { count })}
      data-testid="notification-bell"
      data-count={count}
      onClick={() => void navigate('/notifications')}
      style={{ height: 40 }}
    >
      <Badge count={count} size="small" overflowCount={99}>
        <BellOutlined style={{ fontSize: 18 }} />
      </Badge>
    </Button>
  )
}
